package cloud.cegedim.itcareproxy.simulator;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Counts of the requests the simulator received under {@code /itcare}, faulted ones included: how a test proves that
 * a client (the proxy) retried three times, or not at all.
 */
final class Stats {

    private final Map<String, Map<String, Long>> counts = new TreeMap<>();
    private long total;

    synchronized void record(String area, String method) {
        counts.computeIfAbsent(area, a -> new TreeMap<>()).merge(method, 1L, Long::sum);
        total++;
    }

    synchronized void reset() {
        counts.clear();
        total = 0;
    }

    /** {@code {"total":3,"byArea":{"compute":3},"byMethod":{"GET":3},"byAreaAndMethod":{"compute":{"GET":3}}}} */
    synchronized ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("total", total);
        ObjectNode byArea = node.putObject("byArea");
        Map<String, Long> byMethodCounts = new TreeMap<>();
        counts.forEach((area, methods) -> {
            byArea.put(area, methods.values().stream().mapToLong(Long::longValue).sum());
            methods.forEach((method, count) -> byMethodCounts.merge(method, count, Long::sum));
        });
        ObjectNode byMethod = node.putObject("byMethod");
        byMethodCounts.forEach(byMethod::put);
        ObjectNode byAreaAndMethod = node.putObject("byAreaAndMethod");
        counts.forEach((area, methods) -> {
            ObjectNode perMethod = byAreaAndMethod.putObject(area);
            methods.forEach(perMethod::put);
        });
        return node;
    }
}
