package cloud.cegedim.itcareproxy.simulator;

import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.api;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.envelope;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

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
class DatabaseApiTest {

    @Inject
    ItcareSimulator simulator;

    @Inject
    @Simulated
    MovableClock clock;

    private long id;
    private String name;

    @BeforeEach
    void freshWorldAndItsFirstDatabase() {
        SimulatorClient.reset(simulator);
        for (JsonNode resource : json(api(simulator).get("/compute/resources"))) {
            if (resource.get("category").asText().equals("DATABASE")) {
                id = resource.get("id").asLong();
                name = resource.get("name").asText();
                return;
            }
        }
        throw new AssertionError("the seeded world has no database");
    }

    private JsonNode database() {
        return json(api(simulator).get("/databases/postgresql/" + id).then().statusCode(200).extract().response());
    }

    private JsonNode patch(String body) {
        return json(api(simulator).contentType(ContentType.JSON).body(body).patch("/databases/postgresql/" + id)
                .then().statusCode(202).extract().response());
    }

    @Test
    void getsADatabaseWithItsFields() {
        JsonNode db = database();

        assertThat(db.get("id").asLong()).isEqualTo(id);
        assertThat(db.get("name").asText()).isEqualTo(name);
        assertThat(db.get("family").asText()).isEqualTo("POSTGRESQL");
        assertThat(db.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(db.get("port").asInt()).isEqualTo(5432);
        assertThat(db.get("endpoint").asText()).isEqualTo(name + ".pg.cegedim.cloud");
    }

    @Test
    void stopsADatabaseThroughAnAction() {
        JsonNode tracking = patch("{\"operation\":\"stop\"}");

        assertThat(tracking.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(tracking.get("process").asText()).isEqualTo("DATABASE_POSTGRESQL_STOP");
        assertThat(tracking.get("message").asText()).isEqualTo("Stop of PostgreSQL " + name);
        assertThat(tracking.get("resourceType").asText()).isEqualTo("DATABASE");
        assertThat(tracking.has("completedAt")).isFalse();
        assertThat(database().get("status").asText()).isEqualTo("STOPPING");

        clock.advance(Duration.ofSeconds(3));

        assertThat(database().get("status").asText()).isEqualTo("STOPPED");
        assertThat(json(api(simulator).get("/actions/" + tracking.get("id").asLong())).get("status").asText())
                .isEqualTo("SUCCESS");
    }

    @Test
    void resizesWithTheGivenOptionsAndKeepsTheStatus() {
        patch("{\"operation\":\"resize\",\"options\":{\"cpu\":16,\"ram\":65536}}");
        assertThat(database().get("status").asText()).isEqualTo("RESIZING");

        clock.advance(Duration.ofSeconds(3));

        JsonNode db = database();
        assertThat(db.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(db.get("cpu").asInt()).isEqualTo(16);
        assertThat(db.get("ram").asInt()).isEqualTo(65536);
    }

    @Test
    void enablesHighAvailability() {
        patch("{\"operation\":\"enable_ha\",\"options\":{}}");
        clock.advance(Duration.ofSeconds(3));

        assertThat(database().get("highAvailability").asBoolean()).isTrue();
        assertThat(database().get("type").asText()).isEqualTo("HIGH_AVAILABILITY");
    }

    @ParameterizedTest(name = "operation {0} is refused")
    @ValueSource(strings = { "{\"operation\":\"explode\"}", "{\"options\":{}}", "{\"operation\":7}" })
    void refusesAnUnknownOperationWithInvalidFieldValue(String body) {
        api(simulator).contentType(ContentType.JSON).body(body).patch("/databases/postgresql/" + id).then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "operation", "Error on field 'operation'")));
        assertThat(database().get("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void refusesAResizeWithoutSize() {
        api(simulator).contentType(ContentType.JSON).body("{\"operation\":\"resize\",\"options\":{}}")
                .patch("/databases/postgresql/" + id).then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "options", "Error on field 'options'")));
    }

    @Test
    void refusesAnUnparsablePatchBody() {
        api(simulator).contentType(ContentType.JSON).body("operation=stop").patch("/databases/postgresql/" + id).then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "BAD_REQUEST", "body", "The request body is not valid JSON")));
    }

    @Test
    void patchingAnUnknownDatabaseIsA404() {
        api(simulator).contentType(ContentType.JSON).body("{\"operation\":\"stop\"}").patch("/databases/postgresql/42")
                .then()
                .statusCode(404)
                .body(equalTo(envelope("NOT_FOUND", "NOT_FOUND", "No PostgreSQL database with id 42",
                        "Non-existent resource")));
    }

    @Test
    void deletesADatabaseWhenItsActionCompletes() {
        api(simulator).delete("/databases/postgresql/" + id).then().statusCode(202);
        assertThat(database().get("status").asText()).isEqualTo("DELETING");

        clock.advance(Duration.ofSeconds(3));

        api(simulator).get("/databases/postgresql/" + id).then().statusCode(404);
    }

    @Test
    void createsADatabaseThatBecomesActive() {
        JsonNode tracking = json(api(simulator).contentType(ContentType.JSON)
                .body("{\"name\":\"tdbapi01\",\"serviceId\":300118,\"environment\":\"QUALIFICATION\",\"version\":\"15\"}")
                .post("/databases/postgresql").then().statusCode(202).extract().response());
        assertThat(tracking.get("process").asText()).isEqualTo("DATABASE_POSTGRESQL_CREATE");

        clock.advance(Duration.ofSeconds(3));

        JsonNode created = null;
        for (JsonNode resource : json(api(simulator).get("/compute/resources"))) {
            if (resource.get("name").asText().equals("tdbapi01")) {
                created = json(api(simulator).get(resource.get("path").asText()));
            }
        }
        assertThat(created).isNotNull();
        assertThat(created.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(created.get("version").asText()).isEqualTo("15");
        assertThat(created.get("type").asText()).isEqualTo("STANDALONE");
    }

    @Test
    void aDryRunPatchChangesNothing() {
        api(simulator).header("ITCare-DryRun", "true").contentType(ContentType.JSON).body("{\"operation\":\"stop\"}")
                .patch("/databases/postgresql/" + id).then()
                .statusCode(200)
                .header("ITCare-DryRun", "true");

        clock.advance(Duration.ofSeconds(10));

        assertThat(database().get("status").asText()).isEqualTo("ACTIVE");
        JsonNode actions = json(api(simulator).queryParam("resourceId", id).get("/actions"));
        assertThat(SimulatorClient.texts(actions, "process")).containsExactly("DATABASE_POSTGRESQL_CREATE");
    }

    @Test
    void aWrongMethodIsA405() {
        api(simulator).put("/databases/postgresql/" + id).then().statusCode(405);
    }
}
