package cloud.cegedim.itcareproxy.simulator;

import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One injected failure, as posted to {@code /_simulator/faults}. A request in {@code area} is hit with probability
 * {@code rate}; a hit waits {@code latencyMs}, then closes the connection ({@code reset}), or answers {@code status}
 * with a body of the given kind, or, with neither, lets the request through late. It expires after
 * {@code durationSeconds} on the simulator's clock.
 *
 * @param status the status to answer, or {@code null} to only add latency
 * @param retryAfter the {@code Retry-After} value to send, or {@code null}
 */
record Fault(long id, String area, Integer status, double rate, long latencyMs, Body body, String retryAfter,
        boolean reset, long durationSeconds, Instant createdAt, Instant expiresAt) {

    /** Every area of the ITCare API: a fault for {@code *} covers the whole API, not the token endpoint. */
    static final String ANY_AREA = "*";

    /** What a faulty answer carries. {@code large} is 1 MiB of text, beyond what a proxy should inspect. */
    enum Body {
        ENVELOPE, PARTIAL, EMPTY, HTML, MALFORMED, LARGE;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Set<String> FIELDS = Set.of("area", "status", "rate", "latencyMs", "body", "retryAfter",
            "reset", "durationSeconds");

    /**
     * Reads and checks a fault specification. An unknown field is refused rather than ignored, so that a typo
     * ({@code latency} for {@code latencyMs}) does not silently give a fault that does nothing.
     */
    static Fault parse(ObjectNode spec, long id, Instant now) {
        for (Iterator<String> names = spec.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiError.invalidField(name);
            }
        }
        String area = text(spec, "area", ANY_AREA);
        if (!area.equals(ANY_AREA) && !area.matches("[a-z][a-z0-9-]*")) {
            throw ApiError.invalidField("area");
        }
        Integer status = spec.hasNonNull("status") ? Fields.intIn(spec, "status", 200, 599, 0) : null;
        double rate = 1.0;
        JsonNode rateNode = spec.get("rate");
        if (rateNode != null && !rateNode.isNull()) {
            if (!rateNode.isNumber() || rateNode.asDouble() < 0 || rateNode.asDouble() > 1) {
                throw ApiError.invalidField("rate");
            }
            rate = rateNode.asDouble();
        }
        long latencyMs = Fields.intIn(spec, "latencyMs", 0, 600_000, 0);
        Body body = body(text(spec, "body", "envelope"));
        String retryAfter = spec.hasNonNull("retryAfter") ? text(spec, "retryAfter", null) : null;
        if (retryAfter != null && retryAfter.isBlank()) {
            throw ApiError.invalidField("retryAfter");
        }
        JsonNode resetNode = spec.path("reset");
        if (!resetNode.isMissingNode() && !resetNode.isBoolean()) {
            throw ApiError.invalidField("reset");
        }
        boolean reset = resetNode.asBoolean(false);
        if (status == null && !reset && latencyMs == 0) {
            throw ApiError.invalidField("status");
        }
        long duration = Fields.intIn(spec, "durationSeconds", 1, 86_400, 60);
        return new Fault(id, area, status, rate, latencyMs, body, retryAfter, reset, duration, now,
                now.plusSeconds(duration));
    }

    private static String text(ObjectNode spec, String field, String absent) {
        JsonNode node = spec.get(field);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isTextual()) {
            throw ApiError.invalidField(field);
        }
        return node.asText();
    }

    private static Body body(String name) {
        for (Body body : Body.values()) {
            if (body.jsonName().equals(name.toLowerCase(Locale.ROOT))) {
                return body;
            }
        }
        throw ApiError.invalidField("body");
    }

    boolean activeAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** {@code *} covers the ITCare API only: the token endpoint is another server, hit only by a fault naming it. */
    boolean covers(String requestArea) {
        return area.equals(requestArea) || (area.equals(ANY_AREA) && !requestArea.equals(TokenIssuer.AREA));
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("area", area);
        if (status == null) {
            node.putNull("status");
        } else {
            node.put("status", status);
        }
        node.put("rate", rate);
        node.put("latencyMs", latencyMs);
        node.put("body", body.jsonName());
        node.put("retryAfter", retryAfter);
        node.put("reset", reset);
        node.put("durationSeconds", durationSeconds);
        node.put("createdAt", Json.date(createdAt));
        node.put("expiresAt", Json.date(expiresAt));
        return node;
    }
}
