package cloud.cegedim.itcareproxy.simulator;

import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.api;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.envelope;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.json;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Comparator;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(SimulatorTestProfile.class)
class ActionsApiTest {

    @Inject
    ItcareSimulator simulator;

    @Inject
    @Simulated
    MovableClock clock;

    @BeforeEach
    void freshWorld() {
        SimulatorClient.reset(simulator);
    }

    private JsonNode createInstance(String name, String requestId) {
        return json(api(simulator).header("X-Request-Id", requestId).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"serviceId\":300118,\"environment\":\"DEVELOPMENT\"}")
                .post("/compute/instances").then().statusCode(202).extract().response());
    }

    @Test
    void listsTheSeededHistoryAsAPlainArrayMostRecentFirst() {
        JsonNode actions = json(api(simulator).get("/actions").then().statusCode(200).extract().response());

        assertThat(actions.isArray()).isTrue();
        assertThat(actions.size()).isEqualTo(57 + 12 + 9);
        assertThat(texts(actions, "status")).containsOnly("SUCCESS");
        assertThat(texts(actions, "submittedAt")).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(SimulatorClient.fieldNames(actions.get(0))).containsExactly("id", "status", "message", "process",
                "resourceName", "resourceType", "family", "submittedAt", "submittedBy", "lastUpdatedAt", "completedAt");
    }

    @Test
    void filtersByStatusAndResourceName() {
        JsonNode tracking = createInstance("tactions01", "req-actions-01");

        JsonNode inProgress = json(api(simulator).queryParam("statuses", "IN_PROGRESS").get("/actions"));
        assertThat(inProgress).hasSize(1);
        assertThat(inProgress.get(0)).isEqualTo(tracking);

        JsonNode byName = json(api(simulator).queryParam("resourceName", "tactions01")
                .queryParam("statuses", "SUCCESS").get("/actions"));
        assertThat(byName).isEmpty();

        clock.advance(Duration.ofSeconds(3));

        assertThat(json(api(simulator).queryParam("statuses", "IN_PROGRESS").get("/actions"))).isEmpty();
        assertThat(texts(json(api(simulator).queryParam("resourceName", "tactions01").queryParam("statuses", "SUCCESS")
                .get("/actions")), "id")).containsExactly(tracking.get("id").asText());
    }

    @Test
    void filtersByTheCallersRequestId() {
        createInstance("tactions02", "req-actions-02");
        JsonNode second = createInstance("tactions03", "req-actions-03");

        JsonNode found = json(api(simulator).queryParam("requestId", "req-actions-03").get("/actions"));

        assertThat(found).hasSize(1);
        assertThat(found.get(0).get("id")).isEqualTo(second.get("id"));
    }

    @Test
    void filtersByResourceId() {
        JsonNode seeded = json(api(simulator).queryParam("resourceId", "500061854").get("/actions"));

        assertThat(texts(seeded, "resourceName")).containsExactly("qpharmapp01");
    }

    @Test
    void refusesANonNumericResourceId() {
        api(simulator).queryParam("resourceId", "vm-1").get("/actions").then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "resourceId", "Error on field 'resourceId'")));
    }

    @Test
    void anUnknownActionIsA404() {
        api(simulator).get("/actions/12").then()
                .statusCode(404)
                .body(equalTo(envelope("NOT_FOUND", "NOT_FOUND", "No action with id 12", "Non-existent resource")));
    }
}
