package cloud.cegedim.itcareproxy.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.MultiMap;

/**
 * List filters in ITCare's style: a plural query parameter holding a comma list ({@code statuses=ACTIVE,STOPPED}),
 * possibly repeated, that keeps the items whose field equals one of the values, ignoring case. Filters combine with AND.
 */
final class Filters {

    private Filters() {
    }

    /**
     * @param query the request's query parameters
     * @param fields query parameter name to item field name, e.g. {@code names -> name}
     */
    static Predicate<ObjectNode> of(MultiMap query, Map<String, String> fields) {
        List<Predicate<ObjectNode>> all = new ArrayList<>();
        fields.forEach((param, field) -> {
            Set<String> wanted = values(query, param);
            if (!wanted.isEmpty()) {
                all.add(item -> {
                    JsonNode value = item.get(field);
                    return value != null && !value.isNull() && wanted.contains(value.asText().toLowerCase(Locale.ROOT));
                });
            }
        });
        return item -> all.stream().allMatch(p -> p.test(item));
    }

    /** The lower-cased values of a comma-list parameter, blanks dropped; empty when the parameter is absent. */
    static Set<String> values(MultiMap query, String param) {
        return query.getAll(param).stream()
                .flatMap(v -> List.of(v.split(",")).stream())
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .map(v -> v.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }
}
