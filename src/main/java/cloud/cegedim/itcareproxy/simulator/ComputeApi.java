package cloud.cegedim.itcareproxy.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /compute}: the resource catalogue and the virtual machines. */
final class ComputeApi {

    private static final Map<String, String> FILTERS = Map.of("names", "name", "types", "type", "families", "family",
            "environments", "environment", "statuses", "status");

    private final Inventory inventory;
    private final Operations operations;

    ComputeApi(Inventory inventory, Operations operations) {
        this.inventory = inventory;
        this.operations = operations;
    }

    void mount(Router router, String base) {
        router.get(base + "/compute/resources").handler(this::resources);
        router.get(base + "/compute/instances").handler(this::list);
        router.post(base + "/compute/instances").handler(this::create);
        router.get(base + "/compute/instances/:id").handler(this::get);
        router.get(base + "/compute/instances/:id/networks").handler(this::networks);
    }

    /** Every resource of every kind, in id order, as a plain array: {@code id, name, category, family, path}. */
    private void resources(RoutingContext ctx) {
        List<ObjectNode> all = new ArrayList<>();
        inventory.instances.all().forEach(row -> all.add(summary(row, "COMPUTE", "/compute/instances/")));
        inventory.databases.all().forEach(row -> all.add(summary(row, "DATABASE", "/databases/postgresql/")));
        inventory.loadBalancers.all().forEach(row -> all.add(summary(row, "NETWORKING", "/networking/loadbalancers/")));
        all.sort(Comparator.comparingLong(row -> row.get("id").asLong()));
        ArrayNode array = Json.array();
        all.forEach(array::add);
        Json.send(ctx, 200, array);
    }

    private static ObjectNode summary(ObjectNode row, String category, String pathPrefix) {
        ObjectNode summary = Json.object();
        summary.put("id", row.get("id").asLong());
        summary.put("name", row.get("name").asText());
        summary.put("category", category);
        summary.put("family", row.get("family").asText());
        summary.put("path", pathPrefix + row.get("id").asLong());
        return summary;
    }

    private void list(RoutingContext ctx) {
        Paging.PageRequest request = Paging.parse(ctx.queryParams(), Resources.INSTANCE_FIELDS);
        List<ObjectNode> rows = inventory.instances.all();
        rows.removeIf(Filters.of(ctx.queryParams(), FILTERS).negate());
        Json.send(ctx, 200, Paging.page(rows, request));
    }

    private void get(RoutingContext ctx) {
        Json.send(ctx, 200, instance(ctx));
    }

    private void networks(RoutingContext ctx) {
        Json.send(ctx, 200, Resources.networks(instance(ctx)));
    }

    private ObjectNode instance(RoutingContext ctx) {
        long id = Fields.pathId(ctx, "id");
        return inventory.instances.get(id)
                .orElseThrow(() -> ApiError.notFound("No compute instance with id " + id));
    }

    /**
     * Body: {@code name}, {@code serviceId}, {@code environment} required; {@code family} (LINUX), {@code region},
     * {@code operatingSystem}, {@code cpu} (2), {@code ram} in MiB (4096) and {@code disk} in GiB (50) optional.
     */
    private void create(RoutingContext ctx) {
        ObjectNode body = Json.bodyObject(ctx);
        String name = Fields.name(body, "name");
        long serviceId = Fields.requiredLong(body, "serviceId");
        String environment = Fields.oneOf(body, "environment", Resources.ENVIRONMENTS);
        String family = Fields.oneOf(body, "family", Resources.INSTANCE_FAMILIES, "LINUX");
        String region = Fields.oneOf(body, "region", Resources.REGIONS, Resources.REGIONS.get(0));
        int cpu = Fields.intIn(body, "cpu", 1, 64, 2);
        int ram = Fields.intIn(body, "ram", 512, 524_288, 4096);
        int disk = Fields.intIn(body, "disk", 20, 4096, 50);
        String os = body.path("operatingSystem").asText(family.equals("LINUX") ? "RHEL 9.4" : "Windows Server 2022");
        if (inventory.instances.hasName(name)) {
            throw ApiError.of(409, "name");
        }
        operations.submit(ctx, new Operations.Intent("COMPUTE_INSTANCE_CREATE", "Creation of instance " + name,
                Resources.INSTANCE, name, family, serviceId,
                () -> {
                    long id = inventory.newId();
                    inventory.instances.put(Resources.instance(Resources.base(id, name, Resources.VIRTUAL_MACHINE,
                            Resources.CREATING, family, serviceId, environment, region, operations.now()),
                            os, "10.40." + (id / 240 % 256) + "." + (10 + id % 240), cpu, ram, disk));
                    return id;
                },
                id -> inventory.instances.update(id, row -> row.put("status", Resources.ACTIVE))));
    }
}
