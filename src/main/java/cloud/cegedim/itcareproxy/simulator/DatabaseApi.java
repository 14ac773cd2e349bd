package cloud.cegedim.itcareproxy.simulator;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /databases/postgresql}: managed PostgreSQL, created, operated and deleted through actions. */
final class DatabaseApi {

    /** The operations PATCH accepts, in ITCare's spelling. */
    static final List<String> OPERATIONS = List.of("start", "stop", "resize", "restore", "enable_ha");

    private final Inventory inventory;
    private final Operations operations;

    DatabaseApi(Inventory inventory, Operations operations) {
        this.inventory = inventory;
        this.operations = operations;
    }

    void mount(Router router, String base) {
        router.post(base + "/databases/postgresql").handler(this::create);
        router.get(base + "/databases/postgresql/:id").handler(this::get);
        router.patch(base + "/databases/postgresql/:id").handler(this::operate);
        router.delete(base + "/databases/postgresql/:id").handler(this::delete);
    }

    private void get(RoutingContext ctx) {
        Json.send(ctx, 200, database(ctx));
    }

    private ObjectNode database(RoutingContext ctx) {
        long id = Fields.pathId(ctx, "id");
        return inventory.databases.get(id).orElseThrow(() -> ApiError.notFound("No PostgreSQL database with id " + id));
    }

    /**
     * Body: {@code name}, {@code serviceId}, {@code environment} required; {@code version} (16), {@code region},
     * {@code cpu} (2), {@code ram} in MiB (4096), {@code diskSize} in GiB (100), {@code highAvailability} (false).
     */
    private void create(RoutingContext ctx) {
        ObjectNode body = Json.bodyObject(ctx);
        String name = Fields.name(body, "name");
        long serviceId = Fields.requiredLong(body, "serviceId");
        String environment = Fields.oneOf(body, "environment", Resources.ENVIRONMENTS);
        String version = Fields.oneOf(body, "version", Resources.POSTGRESQL_VERSIONS, "16");
        String region = Fields.oneOf(body, "region", Resources.REGIONS, Resources.REGIONS.get(0));
        int cpu = Fields.intIn(body, "cpu", 1, 64, 2);
        int ram = Fields.intIn(body, "ram", 1024, 1_048_576, 4096);
        int disk = Fields.intIn(body, "diskSize", 10, 10_240, 100);
        JsonNode haNode = body.path("highAvailability");
        if (!haNode.isMissingNode() && !haNode.isNull() && !haNode.isBoolean()) {
            throw ApiError.invalidField("highAvailability");
        }
        boolean ha = haNode.asBoolean(false);
        if (inventory.databases.hasName(name)) {
            throw ApiError.of(409, "name");
        }
        operations.submit(ctx, new Operations.Intent("DATABASE_POSTGRESQL_CREATE", "Creation of PostgreSQL " + name,
                Resources.DATABASE, name, Resources.POSTGRESQL, serviceId,
                () -> {
                    long id = inventory.newId();
                    inventory.databases.put(Resources.database(Resources.base(id, name,
                            ha ? "HIGH_AVAILABILITY" : "STANDALONE", Resources.CREATING, Resources.POSTGRESQL,
                            serviceId, environment, region, operations.now()), version, cpu, ram, disk, ha));
                    return id;
                },
                id -> inventory.databases.update(id, row -> row.put("status", Resources.ACTIVE))));
    }

    /** Body: {@code {"operation":"start|stop|resize|restore|enable_ha","options":{…}}}. */
    private void operate(RoutingContext ctx) {
        ObjectNode row = database(ctx);
        ObjectNode body = Json.bodyObject(ctx);
        JsonNode opNode = body.get("operation");
        String operation = opNode != null && opNode.isTextual() ? opNode.asText().toLowerCase(Locale.ROOT) : "";
        if (!OPERATIONS.contains(operation)) {
            throw ApiError.invalidField("operation");
        }
        ObjectNode options = Fields.object(body, "options");
        String before = row.get("status").asText();
        String process = "DATABASE_POSTGRESQL_" + operation.toUpperCase(Locale.ROOT);
        String name = row.get("name").asText();
        Operations.Intent intent = switch (operation) {
            case "start" -> change(row, process, "Start of PostgreSQL " + name, "STARTING",
                    done -> done.put("status", Resources.ACTIVE));
            case "stop" -> change(row, process, "Stop of PostgreSQL " + name, "STOPPING",
                    done -> done.put("status", Resources.STOPPED));
            case "resize" -> resize(row, process, options, before);
            case "restore" -> change(row, process, "Restore of PostgreSQL " + name, "RESTORING",
                    done -> done.put("status", before));
            default -> change(row, process, "High availability for PostgreSQL " + name, "UPDATING",
                    done -> done.put("status", before).put("highAvailability", true).put("type", "HIGH_AVAILABILITY"));
        };
        operations.submit(ctx, intent);
    }

    /** {@code options.cpu} and/or {@code options.ram} (MiB); one of them at least. */
    private Operations.Intent resize(ObjectNode row, String process, ObjectNode options, String before) {
        int cpu = Fields.intIn(options, "cpu", 1, 64, 0, "options.cpu");
        int ram = Fields.intIn(options, "ram", 1024, 1_048_576, 0, "options.ram");
        if (cpu == 0 && ram == 0) {
            throw ApiError.invalidField("options");
        }
        return change(row, process, "Resize of PostgreSQL " + row.get("name").asText(), "RESIZING", done -> {
            done.put("status", before);
            if (cpu > 0) {
                done.put("cpu", cpu);
            }
            if (ram > 0) {
                done.put("ram", ram);
            }
        });
    }

    private Operations.Intent change(ObjectNode row, String process, String message, String during,
            Consumer<ObjectNode> finish) {
        long id = row.get("id").asLong();
        return Operations.Intent.about(row, Resources.DATABASE, process, message,
                () -> {
                    inventory.databases.update(id, r -> r.put("status", during));
                    return id;
                },
                done -> inventory.databases.update(done, finish));
    }

    private void delete(RoutingContext ctx) {
        ObjectNode row = database(ctx);
        long id = row.get("id").asLong();
        operations.submit(ctx, Operations.Intent.about(row, Resources.DATABASE, "DATABASE_POSTGRESQL_DELETE",
                "Deletion of PostgreSQL " + row.get("name").asText(),
                () -> {
                    inventory.databases.update(id, r -> r.put("status", "DELETING"));
                    return id;
                },
                inventory.databases::remove));
    }
}
