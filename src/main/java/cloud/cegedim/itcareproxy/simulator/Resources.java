package cloud.cegedim.itcareproxy.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The shapes of the simulated resources, and the vocabularies their fields take. The seeded world and the creation
 * endpoints both build rows here, so a created resource looks exactly like a seeded one.
 */
final class Resources {

    static final List<String> ENVIRONMENTS = List.of("PRODUCTION", "PREPRODUCTION", "QUALIFICATION", "DEVELOPMENT");
    static final List<String> REGIONS = List.of("EU-FR-BOULOGNE", "EU-FR-TOULOUSE");

    static final String ACTIVE = "ACTIVE";
    static final String STOPPED = "STOPPED";
    static final String CREATING = "CREATING";

    /** Action {@code resourceType} values, one per kind of resource. */
    static final String INSTANCE = "INSTANCE";
    static final String DATABASE = "DATABASE";
    static final String LOAD_BALANCER = "LOAD_BALANCER";

    static final String VIRTUAL_MACHINE = "VIRTUAL_MACHINE";
    static final List<String> INSTANCE_FAMILIES = List.of("LINUX", "WINDOWS");
    static final String POSTGRESQL = "POSTGRESQL";
    static final List<String> POSTGRESQL_VERSIONS = List.of("14", "15", "16");
    static final List<String> LOAD_BALANCER_TYPES = List.of("HTTP", "TCP");

    /** The scalar fields of each kind: what {@code sort} accepts. */
    static final Set<String> INSTANCE_FIELDS = Set.of("id", "name", "type", "status", "family", "serviceId",
            "environment", "region", "createdAt", "operatingSystem", "availabilityZone", "ipAddress", "cpu", "ram",
            "disk");
    static final Set<String> DATABASE_FIELDS = Set.of("id", "name", "type", "status", "family", "serviceId",
            "environment", "region", "createdAt", "version", "cpu", "ram", "diskSize", "highAvailability", "endpoint",
            "port");
    static final Set<String> LOAD_BALANCER_FIELDS = Set.of("id", "name", "type", "status", "family", "serviceId",
            "environment", "region", "createdAt", "vip");

    private Resources() {
    }

    /** The fields every resource has, in the order ITCare lists them. */
    static ObjectNode base(long id, String name, String type, String status, String family, long serviceId,
            String environment, String region, Instant createdAt) {
        ObjectNode row = Json.object();
        row.put("id", id);
        row.put("name", name);
        row.put("type", type);
        row.put("status", status);
        row.put("family", family);
        row.put("serviceId", serviceId);
        row.put("environment", environment);
        row.put("region", region);
        row.put("createdAt", Json.date(createdAt));
        return row;
    }

    static ObjectNode instance(ObjectNode base, String operatingSystem, String ipAddress, int cpu, int ramMiB,
            int diskGiB) {
        base.put("operatingSystem", operatingSystem);
        base.put("availabilityZone", zone(base.path("region").asText(), base.path("id").asLong()));
        base.put("ipAddress", ipAddress);
        base.put("cpu", cpu);
        base.put("ram", ramMiB);
        base.put("disk", diskGiB);
        base.putArray("tags").addObject().put("key", "environment").put("value",
                base.path("environment").asText().toLowerCase(Locale.ROOT));
        return base;
    }

    static ObjectNode database(ObjectNode base, String version, int cpu, int ramMiB, int diskGiB, boolean ha) {
        base.put("version", version);
        base.put("cpu", cpu);
        base.put("ram", ramMiB);
        base.put("diskSize", diskGiB);
        base.put("highAvailability", ha);
        base.put("endpoint", base.path("name").asText() + ".pg.cegedim.cloud");
        base.put("port", 5432);
        return base;
    }

    static ObjectNode loadBalancer(ObjectNode base, String vip) {
        base.put("vip", vip);
        base.putArray("urls");
        return base;
    }

    static ObjectNode url(long id, String url, Instant createdAt) {
        ObjectNode node = Json.object();
        node.put("id", id);
        node.put("url", url);
        node.put("createdAt", Json.date(createdAt));
        return node;
    }

    /**
     * The network interfaces of an instance, derived from its address rather than stored: a primary interface on
     * the instance's subnet, and for production a backup interface on a separate VLAN.
     */
    static ArrayNode networks(ObjectNode instance) {
        long id = instance.path("id").asLong();
        String ip = instance.path("ipAddress").asText();
        String subnet = ip.substring(0, ip.lastIndexOf('.'));
        int third = Integer.parseInt(subnet.substring(subnet.lastIndexOf('.') + 1));
        ArrayNode nics = Json.array();
        nics.add(nic(id * 10 + 1, "eth0", 1000 + third, ip, subnet, true));
        if ("PRODUCTION".equals(instance.path("environment").asText())) {
            String backupSubnet = "10.250." + third;
            nics.add(nic(id * 10 + 2, "eth1", 3000 + third, backupSubnet + "." + (id % 250 + 2), backupSubnet, false));
        }
        return nics;
    }

    private static ObjectNode nic(long id, String name, int vlan, String ip, String subnet, boolean primary) {
        ObjectNode nic = Json.object();
        nic.put("id", id);
        nic.put("name", name);
        nic.put("vlan", vlan);
        nic.put("ipAddress", ip);
        nic.put("subnet", subnet + ".0/24");
        nic.put("gateway", subnet + ".1");
        nic.put("macAddress", String.format("00:50:56:%02x:%02x:%02x", (id >> 16) & 0xff, (id >> 8) & 0xff, id & 0xff));
        nic.put("primary", primary);
        return nic;
    }

    private static String zone(String region, long id) {
        String prefix = region.endsWith("TOULOUSE") ? "ET" : "EB";
        return prefix + "-" + (char) ('A' + id % 2);
    }
}
