package cloud.cegedim.itcareproxy.simulator;

import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.api;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.envelope;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.fieldNames;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.json;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(SimulatorTestProfile.class)
class ComputeApiTest {

    private static final String NEW_VM = "{\"name\":\"tcomputeapi01\",\"serviceId\":300118,\"environment\":\"DEVELOPMENT\","
            + "\"cpu\":4,\"ram\":8192}";

    @Inject
    ItcareSimulator simulator;

    @Inject
    @Simulated
    MovableClock clock;

    @BeforeEach
    void freshWorld() {
        SimulatorClient.reset(simulator);
    }

    @Test
    void listensOnTheConfiguredPort() {
        assertThat(simulator.port()).isEqualTo(SimulatorTestProfile.PORT);
    }

    @Test
    void healthAnswersUp() {
        api(simulator).get("/health").then()
                .statusCode(200)
                .contentType("application/json")
                .body(equalTo("{\"status\":\"UP\"}"));
    }

    @Test
    void listsInstancesAsASpringPageOfTwentyByDefault() {
        JsonNode page = json(api(simulator).get("/compute/instances").then().statusCode(200).extract().response());

        assertThat(fieldNames(page)).containsExactly("content", "totalElements", "totalPages", "number", "size",
                "numberOfElements", "first", "last", "empty", "sort");
        assertThat(((com.fasterxml.jackson.databind.node.ObjectNode) page.deepCopy()).without("content").toString()).isEqualTo("{\"totalElements\":57,\"totalPages\":3,\"number\":0,"
                + "\"size\":20,\"numberOfElements\":20,\"first\":true,\"last\":false,\"empty\":false,"
                + "\"sort\":{\"empty\":true,\"sorted\":false,\"unsorted\":true}}");
        assertThat(page.get("content").get(0).get("id").asLong()).isEqualTo(500_061_854L);
    }

    @Test
    void pagesAreZeroBasedAndTheLastOneIsShort() {
        JsonNode page = json(api(simulator).queryParam("page", 2).queryParam("size", 20).get("/compute/instances"));

        assertThat(page.get("number").asInt()).isEqualTo(2);
        assertThat(page.get("numberOfElements").asInt()).isEqualTo(17);
        assertThat(page.get("content").size()).isEqualTo(17);
        assertThat(page.get("first").asBoolean()).isFalse();
        assertThat(page.get("last").asBoolean()).isTrue();
    }

    @Test
    void sortsByNameDescendingAcrossPages() {
        List<String> all = texts(json(api(simulator).queryParam("size", 1000).get("/compute/instances")).get("content"),
                "name");
        List<String> expected = new ArrayList<>(all);
        expected.sort(Comparator.reverseOrder());

        JsonNode page = json(api(simulator).queryParam("sort", "name,desc").queryParam("size", 10)
                .queryParam("page", 1).get("/compute/instances"));

        assertThat(texts(page.get("content"), "name")).isEqualTo(expected.subList(10, 20));
        assertThat(page.get("sort").toString()).isEqualTo("{\"empty\":false,\"sorted\":true,\"unsorted\":false}");
    }

    @Test
    void filtersCombineCommaListsCaseInsensitively() {
        JsonNode all = json(api(simulator).queryParam("size", 1000).get("/compute/instances")).get("content");
        long expected = 0;
        for (JsonNode vm : all) {
            String env = vm.get("environment").asText();
            if ((env.equals("PRODUCTION") || env.equals("QUALIFICATION")) && vm.get("family").asText().equals("LINUX")) {
                expected++;
            }
        }

        JsonNode page = json(api(simulator).queryParam("environments", "production,QUALIFICATION")
                .queryParam("families", "linux").queryParam("size", 1000).get("/compute/instances"));

        assertThat(expected).isBetween(1L, 56L);
        assertThat(page.get("totalElements").asLong()).isEqualTo(expected);
        assertThat(texts(page.get("content"), "family")).containsOnly("LINUX");
        assertThat(texts(page.get("content"), "environment")).containsOnly("PRODUCTION", "QUALIFICATION");
    }

    @ParameterizedTest(name = "size={0} is refused")
    @ValueSource(strings = { "0", "-5", "abc", "1001" })
    void refusesABadSizeWithInvalidFieldValue(String size) {
        api(simulator).queryParam("size", size).get("/compute/instances").then()
                .statusCode(400)
                .contentType("application/json")
                .body(equalTo(envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "size", "Error on field 'size'")));
    }

    @Test
    void refusesANegativePageWithInvalidFieldValue() {
        api(simulator).queryParam("page", -1).get("/compute/instances").then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "page", "Error on field 'page'")));
    }

    @Test
    void refusesASortOnAnUnknownProperty() {
        api(simulator).queryParam("sort", "secret,asc").get("/compute/instances").then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "sort", "Error on field 'sort'")));
    }

    @Test
    void getsOneSeededInstanceIdenticallyOnEveryRun() {
        api(simulator).get("/compute/instances/500061854").then()
                .statusCode(200)
                .body(equalTo("{\"id\":500061854,\"name\":\"qpharmapp01\",\"type\":\"VIRTUAL_MACHINE\","
                        + "\"status\":\"ACTIVE\",\"family\":\"LINUX\",\"serviceId\":300377,\"environment\":\"QUALIFICATION\","
                        + "\"region\":\"EU-FR-BOULOGNE\",\"createdAt\":\"2023-10-04T14:09:58.519Z\","
                        + "\"operatingSystem\":\"Ubuntu 22.04\",\"availabilityZone\":\"EB-A\",\"ipAddress\":\"10.21.97.246\","
                        + "\"cpu\":8,\"ram\":8192,\"disk\":150,\"tags\":[{\"key\":\"environment\",\"value\":\"qualification\"}]}"));
    }

    @Test
    void listsTheNetworksOfAnInstanceWithItsAddressFirst() {
        JsonNode nics = json(api(simulator).get("/compute/instances/500061854/networks").then().statusCode(200)
                .extract().response());

        assertThat(nics.isArray()).isTrue();
        assertThat(nics.get(0).toString()).isEqualTo("{\"id\":5000618541,\"name\":\"eth0\",\"vlan\":1097,"
                + "\"ipAddress\":\"10.21.97.246\",\"subnet\":\"10.21.97.0/24\",\"gateway\":\"10.21.97.1\","
                + "\"macAddress\":\"00:50:56:0f:62:2d\",\"primary\":true}");
    }

    @Test
    void anUnknownInstanceIsA404Envelope() {
        api(simulator).get("/compute/instances/1").then()
                .statusCode(404)
                .contentType("application/json")
                .body(equalTo(envelope("NOT_FOUND", "NOT_FOUND", "No compute instance with id 1", "Non-existent resource")));
    }

    @Test
    void aNonNumericIdIsABadRequest() {
        api(simulator).get("/compute/instances/abc").then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "id", "Error on field 'id'")));
    }

    @Test
    void anUnknownPathIsA404Envelope() {
        api(simulator).get("/compute/nowhere/7").then()
                .statusCode(404)
                .body(equalTo(envelope("NOT_FOUND", "NOT_FOUND", "No resource at GET /itcare/compute/nowhere/7",
                        "Non-existent resource")));
    }

    @Test
    void aWrongMethodIsA405Envelope() {
        api(simulator).delete("/compute/instances").then()
                .statusCode(405)
                .body(equalTo(envelope("METHOD_NOT_ALLOWED", "METHOD_NOT_ALLOWED", "DELETE", "Method not allowed")));
    }

    @Test
    void theResourceCatalogueIsAPlainArrayOfEveryKindInIdOrder() {
        JsonNode resources = json(api(simulator).get("/compute/resources").then().statusCode(200).extract().response());

        assertThat(resources.size()).isEqualTo(57 + 12 + 9);
        assertThat(resources.get(0).toString()).isEqualTo("{\"id\":500061854,\"name\":\"qpharmapp01\","
                + "\"category\":\"COMPUTE\",\"family\":\"LINUX\",\"path\":\"/compute/instances/500061854\"}");
        assertThat(texts(resources, "category")).containsOnly("COMPUTE", "DATABASE", "NETWORKING");
        List<String> ids = texts(resources, "id");
        assertThat(ids).isSortedAccordingTo(Comparator.comparingLong(Long::parseLong));
    }

    @Test
    void createsAnInstanceThroughAnActionThatSucceedsWhenTheClockHasMoved() {
        String submittedAt = Json.date(clock.instant());
        JsonNode tracking = json(api(simulator).contentType(ContentType.JSON).body(NEW_VM).post("/compute/instances")
                .then().statusCode(202).contentType("application/json").extract().response());

        assertThat(tracking.toString()).isEqualTo("{\"id\":4200261,\"status\":\"IN_PROGRESS\","
                + "\"message\":\"Creation of instance tcomputeapi01\",\"process\":\"COMPUTE_INSTANCE_CREATE\","
                + "\"resourceName\":\"tcomputeapi01\",\"resourceType\":\"INSTANCE\",\"family\":\"LINUX\","
                + "\"submittedAt\":\"" + submittedAt + "\",\"submittedBy\":\"api-client\","
                + "\"lastUpdatedAt\":\"" + submittedAt + "\"}");
        assertThat(instanceNamed("tcomputeapi01").get("status").asText()).isEqualTo("CREATING");

        clock.advance(Duration.ofSeconds(3));

        String completedAt = Json.date(clock.instant());
        JsonNode action = json(api(simulator).get("/actions/4200261").then().statusCode(200).extract().response());
        assertThat(action.get("status").asText()).isEqualTo("SUCCESS");
        assertThat(action.get("completedAt").asText()).isEqualTo(completedAt);
        assertThat(action.get("lastUpdatedAt").asText()).isEqualTo(completedAt);
        JsonNode vm = instanceNamed("tcomputeapi01");
        assertThat(vm.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(vm.get("cpu").asInt()).isEqualTo(4);
        assertThat(vm.get("ram").asInt()).isEqualTo(8192);
    }

    @Test
    void aDryRunValidatesCreatesNothingAndEchoesTheHeader() {
        api(simulator).header("ITCare-DryRun", "true").contentType(ContentType.JSON).body(NEW_VM)
                .post("/compute/instances").then()
                .statusCode(200)
                .header("ITCare-DryRun", "true")
                .body(equalTo("{\"dryRun\":true,\"status\":\"VALID\",\"message\":\"Dry run, nothing was done: "
                        + "Creation of instance tcomputeapi01\",\"process\":\"COMPUTE_INSTANCE_CREATE\","
                        + "\"resourceName\":\"tcomputeapi01\",\"resourceType\":\"INSTANCE\",\"family\":\"LINUX\"}"));

        clock.advance(Duration.ofSeconds(10));

        assertThat(json(api(simulator).queryParam("names", "tcomputeapi01").get("/compute/instances"))
                .get("totalElements").asLong()).isZero();
        api(simulator).queryParam("resourceName", "tcomputeapi01").get("/actions").then().statusCode(200).body(equalTo("[]"));
    }

    @Test
    void aDryRunStillReportsWhatIsInvalidAndEchoesTheHeader() {
        api(simulator).header("ITCare-DryRun", "true").contentType(ContentType.JSON)
                .body("{\"name\":\"tcomputeapi02\",\"serviceId\":300118,\"environment\":\"MOON\"}")
                .post("/compute/instances").then()
                .statusCode(400)
                .header("ITCare-DryRun", "true")
                .body(equalTo(envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "environment",
                        "Error on field 'environment'")));
    }

    @Test
    void aRequestWithoutTheDryRunHeaderGetsNoneBack() {
        assertThat(api(simulator).get("/health").getHeader("ITCare-DryRun")).isNull();
    }

    @Test
    void refusesAnUnparsableBody() {
        api(simulator).contentType(ContentType.JSON).body("{\"name\": \"x\",").post("/compute/instances").then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "BAD_REQUEST", "body", "The request body is not valid JSON")));
    }

    @Test
    void refusesAMissingNameWithInvalidFieldValue() {
        api(simulator).contentType(ContentType.JSON).body("{\"serviceId\":300118,\"environment\":\"DEVELOPMENT\"}")
                .post("/compute/instances").then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "name", "Error on field 'name'")));
    }

    @Test
    void refusesANameAlreadyTakenWithAConflict() {
        api(simulator).contentType(ContentType.JSON)
                .body("{\"name\":\"qpharmapp01\",\"serviceId\":300118,\"environment\":\"DEVELOPMENT\"}")
                .post("/compute/instances").then()
                .statusCode(409)
                .body(equalTo(envelope("CONFLICT", "CONFLICT", "name", "Conflict")));
    }

    private JsonNode instanceNamed(String name) {
        JsonNode page = json(api(simulator).queryParam("names", name).get("/compute/instances"));
        assertThat(page.get("totalElements").asLong()).isEqualTo(1);
        return page.get("content").get(0);
    }
}
