package cloud.cegedim.itcareproxy.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.MultiMap;

/**
 * Spring Data paging as ITCare exposes it: {@code page} (0-based), {@code size} (default 20, at most 1000) and
 * {@code sort=property[,property…][,asc|desc]}, repeatable, answered in the {@code Page} shape. Where Spring would
 * silently clamp a bad value, the simulator answers 400 INVALID_FIELD_VALUE so that clients see their mistake.
 */
final class Paging {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 1000;

    /** One sort criterion. */
    record Order(String property, boolean ascending) {
    }

    /** A validated page request. */
    record PageRequest(int page, int size, List<Order> orders) {

        boolean sorted() {
            return !orders.isEmpty();
        }
    }

    private Paging() {
    }

    /**
     * Reads {@code page}, {@code size} and {@code sort} from the query. {@code sortable} lists the properties a client
     * may sort on: the item's scalar fields.
     */
    static PageRequest parse(MultiMap query, Set<String> sortable) {
        int page = intParam(query, "page", 0, 0, Integer.MAX_VALUE);
        int size = intParam(query, "size", DEFAULT_SIZE, 1, MAX_SIZE);
        List<Order> orders = new ArrayList<>();
        for (String spec : query.getAll("sort")) {
            orders.addAll(parseSort(spec, sortable));
        }
        return new PageRequest(page, size, List.copyOf(orders));
    }

    private static int intParam(MultiMap query, String name, int absent, int min, int max) {
        List<String> values = query.getAll(name);
        if (values.isEmpty()) {
            return absent;
        }
        if (values.size() > 1) {
            throw ApiError.invalidField(name);
        }
        try {
            int value = Integer.parseInt(values.get(0).trim());
            if (value < min || value > max) {
                throw ApiError.invalidField(name);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiError.invalidField(name);
        }
    }

    /** {@code name,desc} sorts by name descending; {@code name,id} sorts by both ascending, as Spring reads it. */
    private static List<Order> parseSort(String spec, Set<String> sortable) {
        List<String> parts = new ArrayList<>(List.of(spec.split(",", -1)));
        boolean ascending = true;
        String last = parts.get(parts.size() - 1).trim().toLowerCase(Locale.ROOT);
        if (parts.size() > 1 && (last.equals("asc") || last.equals("desc"))) {
            ascending = last.equals("asc");
            parts.remove(parts.size() - 1);
        }
        List<Order> orders = new ArrayList<>();
        for (String part : parts) {
            String property = part.trim();
            if (!sortable.contains(property)) {
                throw ApiError.invalidField("sort");
            }
            orders.add(new Order(property, ascending));
        }
        return orders;
    }

    /** Sorts (stably: ties keep the store's order, by id), slices and wraps the items in Spring's Page shape. */
    static ObjectNode page(List<ObjectNode> items, PageRequest request) {
        List<ObjectNode> sorted = new ArrayList<>(items);
        if (request.sorted()) {
            sorted.sort(comparator(request.orders()));
        }
        long total = sorted.size();
        long from = Math.min((long) request.page() * request.size(), total);
        long to = Math.min(from + request.size(), total);
        ArrayNode content = Json.array();
        sorted.subList((int) from, (int) to).forEach(content::add);
        int totalPages = (int) ((total + request.size() - 1) / request.size());

        ObjectNode page = Json.object();
        page.set("content", content);
        page.put("totalElements", total);
        page.put("totalPages", totalPages);
        page.put("number", request.page());
        page.put("size", request.size());
        page.put("numberOfElements", content.size());
        page.put("first", request.page() == 0);
        page.put("last", request.page() + 1 >= totalPages);
        page.put("empty", content.isEmpty());
        ObjectNode sort = page.putObject("sort");
        sort.put("empty", !request.sorted());
        sort.put("sorted", request.sorted());
        sort.put("unsorted", !request.sorted());
        return page;
    }

    private static Comparator<ObjectNode> comparator(List<Order> orders) {
        Comparator<ObjectNode> result = null;
        for (Order order : orders) {
            Comparator<ObjectNode> one = Comparator.comparing(item -> item.get(order.property()), Paging::compareValues);
            if (!order.ascending()) {
                one = one.reversed();
            }
            result = result == null ? one : result.thenComparing(one);
        }
        return result;
    }

    /** Numbers by value, text by code point, booleans false first; an absent or null value sorts after any other. */
    static int compareValues(JsonNode a, JsonNode b) {
        boolean aMissing = a == null || a.isNull();
        boolean bMissing = b == null || b.isNull();
        if (aMissing || bMissing) {
            return Boolean.compare(aMissing, bMissing);
        }
        if (a.isNumber() && b.isNumber()) {
            return a.isIntegralNumber() && b.isIntegralNumber()
                    ? Long.compare(a.asLong(), b.asLong())
                    : Double.compare(a.asDouble(), b.asDouble());
        }
        if (a.isBoolean() && b.isBoolean()) {
            return Boolean.compare(a.asBoolean(), b.asBoolean());
        }
        return a.asText().compareTo(b.asText());
    }
}
