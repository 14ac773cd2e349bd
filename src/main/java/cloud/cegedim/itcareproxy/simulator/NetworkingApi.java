package cloud.cegedim.itcareproxy.simulator;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /networking/loadbalancers}: load balancers and the URLs they serve. */
final class NetworkingApi {

    private static final Map<String, String> FILTERS = Map.of("names", "name", "types", "type",
            "environments", "environment", "statuses", "status");

    private final Inventory inventory;
    private final Operations operations;

    NetworkingApi(Inventory inventory, Operations operations) {
        this.inventory = inventory;
        this.operations = operations;
    }

    void mount(Router router, String base) {
        String path = base + "/networking/loadbalancers";
        router.get(path).handler(this::list);
        router.post(path).handler(this::create);
        router.get(path + "/:id").handler(this::get);
        router.post(path + "/:id/urls").handler(this::addUrl);
        router.delete(path + "/:id/urls/:urlId").handler(this::removeUrl);
    }

    private void list(RoutingContext ctx) {
        Paging.PageRequest request = Paging.parse(ctx.queryParams(), Resources.LOAD_BALANCER_FIELDS);
        List<ObjectNode> rows = inventory.loadBalancers.all();
        rows.removeIf(Filters.of(ctx.queryParams(), FILTERS).negate());
        Json.send(ctx, 200, Paging.page(rows, request));
    }

    private void get(RoutingContext ctx) {
        Json.send(ctx, 200, loadBalancer(ctx));
    }

    private ObjectNode loadBalancer(RoutingContext ctx) {
        long id = Fields.pathId(ctx, "id");
        return inventory.loadBalancers.get(id).orElseThrow(() -> ApiError.notFound("No load balancer with id " + id));
    }

    /** Body: {@code name}, {@code serviceId}, {@code environment} required; {@code type} (HTTP), {@code region}. */
    private void create(RoutingContext ctx) {
        ObjectNode body = Json.bodyObject(ctx);
        String name = Fields.name(body, "name");
        long serviceId = Fields.requiredLong(body, "serviceId");
        String environment = Fields.oneOf(body, "environment", Resources.ENVIRONMENTS);
        String type = Fields.oneOf(body, "type", Resources.LOAD_BALANCER_TYPES, "HTTP");
        String region = Fields.oneOf(body, "region", Resources.REGIONS, Resources.REGIONS.get(0));
        if (inventory.loadBalancers.hasName(name)) {
            throw ApiError.of(409, "name");
        }
        operations.submit(ctx, new Operations.Intent("LOADBALANCER_CREATE", "Creation of load balancer " + name,
                Resources.LOAD_BALANCER, name, Resources.LOAD_BALANCER, serviceId,
                () -> {
                    long id = inventory.newId();
                    inventory.loadBalancers.put(Resources.loadBalancer(Resources.base(id, name, type,
                            Resources.CREATING, Resources.LOAD_BALANCER, serviceId, environment, region,
                            operations.now()), "10.60." + (id / 240 % 256) + "." + (10 + id % 240)));
                    return id;
                },
                id -> inventory.loadBalancers.update(id, row -> row.put("status", Resources.ACTIVE))));
    }

    /** Body: {@code {"url":"https://host/path"}}; the URL appears on the load balancer when the action completes. */
    private void addUrl(RoutingContext ctx) {
        ObjectNode row = loadBalancer(ctx);
        String url = Fields.url(Json.bodyObject(ctx), "url");
        for (JsonNode existing : row.path("urls")) {
            if (existing.path("url").asText().equalsIgnoreCase(url)) {
                throw ApiError.of(409, "url");
            }
        }
        operations.submit(ctx, Operations.Intent.about(row, Resources.LOAD_BALANCER, "LOADBALANCER_URL_ADD",
                "Addition of " + url + " to load balancer " + row.get("name").asText(),
                () -> row.get("id").asLong(),
                id -> {
                    ObjectNode added = Resources.url(inventory.newId(), url, operations.now());
                    inventory.loadBalancers.update(id, lb -> lb.withArray("urls").add(added));
                }));
    }

    private void removeUrl(RoutingContext ctx) {
        ObjectNode row = loadBalancer(ctx);
        long urlId = Fields.pathId(ctx, "urlId");
        String url = null;
        for (JsonNode existing : row.path("urls")) {
            if (existing.path("id").asLong() == urlId) {
                url = existing.path("url").asText();
            }
        }
        if (url == null) {
            throw ApiError.notFound("No URL with id " + urlId + " on load balancer " + row.get("id").asLong());
        }
        operations.submit(ctx, Operations.Intent.about(row, Resources.LOAD_BALANCER, "LOADBALANCER_URL_DELETE",
                "Removal of " + url + " from load balancer " + row.get("name").asText(),
                () -> row.get("id").asLong(),
                id -> inventory.loadBalancers.update(id, lb -> removeUrl(lb.withArray("urls"), urlId))));
    }

    private static void removeUrl(ArrayNode urls, long urlId) {
        for (int i = urls.size() - 1; i >= 0; i--) {
            if (urls.get(i).path("id").asLong() == urlId) {
                urls.remove(i);
            }
        }
    }
}
