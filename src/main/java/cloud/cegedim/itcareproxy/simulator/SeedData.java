package cloud.cegedim.itcareproxy.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Generates the world the simulator starts with: instances, PostgreSQL databases, load balancers and the history of
 * the actions that created them. Everything derives from the seed and from fixed dates, never from the clock, so the
 * same seed gives byte-identical answers on every run.
 */
final class SeedData {

    static final long FIRST_RESOURCE_ID = 500_061_854L;
    static final long FIRST_ACTION_ID = 4_200_183L;
    static final int INSTANCES = 57;
    static final int DATABASES = 12;
    static final int LOAD_BALANCERS = 9;

    private static final Instant EPOCH = Instant.parse("2023-01-09T08:00:00Z");
    private static final long SPAN_SECONDS = Duration.ofDays(900).toSeconds();
    private static final long[] SERVICES = { 300_118L, 300_245L, 300_377L, 301_002L, 301_469L, 302_731L };
    private static final String[] APPS = { "pharm", "crm", "edi", "rx", "hr", "bi" };
    private static final String[] ROLES = { "app", "web", "api", "bat" };
    private static final String[] LINUX = { "RHEL 8.10", "RHEL 9.4", "Ubuntu 22.04", "Debian 12" };
    private static final String[] WINDOWS = { "Windows Server 2019", "Windows Server 2022" };

    private record Created(Instant at, ActionStore.Submission submission) {
    }

    private final Random random;
    private final Set<String> names = new HashSet<>();
    private final List<Created> history = new ArrayList<>();

    private SeedData(long seed) {
        this.random = new Random(seed);
    }

    /** Empties the inventory and the action store, then fills them again: the world as it was at start-up. */
    static void reseed(Inventory inventory, ActionStore actions, long seed) {
        inventory.clear();
        actions.clear();
        populate(inventory, actions, seed);
    }

    /** Fills an empty inventory and action store. */
    static void populate(Inventory inventory, ActionStore actions, long seed) {
        SeedData seedData = new SeedData(seed);
        seedData.instances(inventory);
        seedData.databases(inventory);
        seedData.loadBalancers(inventory);
        seedData.history.sort(Comparator.comparing(Created::at));
        for (Created created : seedData.history) {
            actions.history(created.submission(), created.at(), Duration.ofSeconds(90 + seedData.random.nextInt(600)));
        }
    }

    private void instances(Inventory inventory) {
        for (int i = 0; i < INSTANCES; i++) {
            String environment = pick(Resources.ENVIRONMENTS);
            String family = random.nextInt(5) == 0 ? "WINDOWS" : "LINUX";
            String os = family.equals("LINUX") ? pick(LINUX) : pick(WINDOWS);
            String name = name(environment, ROLES[random.nextInt(ROLES.length)]);
            ObjectNode row = Resources.instance(
                    base(inventory, name, Resources.VIRTUAL_MACHINE, family, environment, random.nextInt(8) == 0
                            ? Resources.STOPPED : Resources.ACTIVE),
                    os, ip(), 1 << (1 + random.nextInt(4)), 1024 << (2 + random.nextInt(4)), 50 + 10 * random.nextInt(20));
            inventory.instances.put(row);
            remember(row, Resources.INSTANCE, "COMPUTE_INSTANCE_CREATE", "Creation of instance " + name);
        }
    }

    private void databases(Inventory inventory) {
        for (int i = 0; i < DATABASES; i++) {
            String environment = pick(Resources.ENVIRONMENTS);
            boolean ha = environment.equals("PRODUCTION");
            String name = name(environment, "pg");
            ObjectNode row = Resources.database(
                    base(inventory, name, ha ? "HIGH_AVAILABILITY" : "STANDALONE", Resources.POSTGRESQL, environment,
                            Resources.ACTIVE),
                    pick(Resources.POSTGRESQL_VERSIONS), 2 << random.nextInt(3), 4096 << random.nextInt(3),
                    100 * (1 + random.nextInt(10)), ha);
            inventory.databases.put(row);
            remember(row, Resources.DATABASE, "DATABASE_POSTGRESQL_CREATE", "Creation of PostgreSQL " + name);
        }
    }

    private void loadBalancers(Inventory inventory) {
        for (int i = 0; i < LOAD_BALANCERS; i++) {
            String environment = pick(Resources.ENVIRONMENTS);
            String name = name(environment, "lb");
            ObjectNode row = Resources.loadBalancer(
                    base(inventory, name, pick(Resources.LOAD_BALANCER_TYPES), Resources.LOAD_BALANCER, environment,
                            Resources.ACTIVE),
                    ip());
            int urls = 1 + random.nextInt(3);
            for (int u = 0; u < urls; u++) {
                String host = name + (u == 0 ? "" : "-" + u) + ".cegedim.cloud";
                row.withArray("urls").add(Resources.url(inventory.newId(1 + random.nextInt(5)), "https://" + host,
                        Instant.parse(row.get("createdAt").asText())));
            }
            inventory.loadBalancers.put(row);
            remember(row, Resources.LOAD_BALANCER, "LOADBALANCER_CREATE", "Creation of load balancer " + name);
        }
    }

    private ObjectNode base(Inventory inventory, String name, String type, String family, String environment,
            String status) {
        Instant createdAt = EPOCH.plusSeconds(random.nextLong(SPAN_SECONDS)).plusMillis(random.nextInt(1000));
        return Resources.base(inventory.newId(1 + random.nextInt(37)), name, type, status, family,
                SERVICES[random.nextInt(SERVICES.length)], environment, pick(Resources.REGIONS), createdAt);
    }

    private void remember(ObjectNode row, String resourceType, String process, String message) {
        history.add(new Created(Instant.parse(row.get("createdAt").asText()), new ActionStore.Submission(process,
                message, row.get("id").asLong(), row.get("name").asText(), resourceType, row.get("family").asText(),
                row.get("serviceId").asLong(), null)));
    }

    /** {@code ppharmweb03}: environment letter (p, r, q, d), application, role, a number unique in the world. */
    private String name(String environment, String role) {
        String letter = environment.equals("PREPRODUCTION") ? "r" : environment.substring(0, 1).toLowerCase(Locale.ROOT);
        String prefix = letter + APPS[random.nextInt(APPS.length)] + role;
        for (int n = 1;; n++) {
            String name = String.format("%s%02d", prefix, n);
            if (names.add(name)) {
                return name;
            }
        }
    }

    private String ip() {
        return "10." + (16 + random.nextInt(16)) + "." + random.nextInt(256) + "." + (10 + random.nextInt(240));
    }

    private String pick(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }
}
