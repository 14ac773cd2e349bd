package cloud.cegedim.itcareproxy.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ArrayNode;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /actions}: what clients poll after a 202. The list is a plain array, most recent first, not a Page. */
final class ActionsApi {

    private final ActionStore actions;

    ActionsApi(ActionStore actions) {
        this.actions = actions;
    }

    void mount(Router router, String base) {
        router.get(base + "/actions").handler(this::list);
        router.get(base + "/actions/:actionId").handler(this::get);
    }

    private void get(RoutingContext ctx) {
        long id = Fields.pathId(ctx, "actionId");
        ActionStore.Action action = actions.find(id)
                .orElseThrow(() -> ApiError.notFound("No action with id " + id));
        Json.send(ctx, 200, action.toJson(actions.now()));
    }

    /** Filters: {@code resourceId}, {@code resourceName}, {@code serviceId}, {@code requestId}, {@code statuses}. */
    private void list(RoutingContext ctx) {
        Instant now = actions.now();
        Predicate<ActionStore.Action> filter = filter(ctx.queryParams(), now);
        ArrayNode array = Json.array();
        actions.list(filter).forEach(action -> array.add(action.toJson(now)));
        Json.send(ctx, 200, array);
    }

    private static Predicate<ActionStore.Action> filter(MultiMap query, Instant now) {
        List<Predicate<ActionStore.Action>> all = new ArrayList<>();
        Long resourceId = longParam(query, "resourceId");
        if (resourceId != null) {
            all.add(a -> a.submission().resourceId() == resourceId);
        }
        Long serviceId = longParam(query, "serviceId");
        if (serviceId != null) {
            all.add(a -> serviceId.equals(a.submission().serviceId()));
        }
        String resourceName = query.get("resourceName");
        if (resourceName != null) {
            all.add(a -> resourceName.equalsIgnoreCase(a.submission().resourceName()));
        }
        String requestId = query.get("requestId");
        if (requestId != null) {
            all.add(a -> requestId.equals(a.submission().requestId()));
        }
        Set<String> statuses = Filters.values(query, "statuses");
        if (!statuses.isEmpty()) {
            all.add(a -> statuses.contains(a.status(now).toLowerCase(Locale.ROOT)));
        }
        return action -> all.stream().allMatch(p -> p.test(action));
    }

    private static Long longParam(MultiMap query, String name) {
        String value = query.get(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiError.invalidField(name);
        }
    }
}
