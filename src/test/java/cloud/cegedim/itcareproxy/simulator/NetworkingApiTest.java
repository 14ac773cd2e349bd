package cloud.cegedim.itcareproxy.simulator;

import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.api;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.envelope;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.json;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(SimulatorTestProfile.class)
class NetworkingApiTest {

    @Inject
    ItcareSimulator simulator;

    @Inject
    @Simulated
    MovableClock clock;

    private JsonNode first;

    @BeforeEach
    void freshWorldAndItsFirstLoadBalancer() {
        SimulatorClient.reset(simulator);
        first = json(api(simulator).queryParam("size", 1).get("/networking/loadbalancers")).get("content").get(0);
    }

    private JsonNode loadBalancer() {
        return json(api(simulator).get("/networking/loadbalancers/" + first.get("id").asLong()).then().statusCode(200)
                .extract().response());
    }

    @Test
    void listsLoadBalancersAsAPage() {
        JsonNode page = json(api(simulator).queryParam("size", 4).queryParam("page", 2).get("/networking/loadbalancers"));

        assertThat(page.get("totalElements").asLong()).isEqualTo(9);
        assertThat(page.get("totalPages").asInt()).isEqualTo(3);
        assertThat(page.get("numberOfElements").asInt()).isEqualTo(1);
        assertThat(page.get("last").asBoolean()).isTrue();
        assertThat(texts(page.get("content"), "family")).containsExactly("LOAD_BALANCER");
    }

    @Test
    void refusesAnOversizedPage() {
        api(simulator).queryParam("size", 5000).get("/networking/loadbalancers").then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "size", "Error on field 'size'")));
    }

    @Test
    void getsALoadBalancerWithItsUrls() {
        JsonNode lb = loadBalancer();

        assertThat(lb).isEqualTo(first);
        assertThat(lb.get("urls").size()).isBetween(1, 3);
        assertThat(lb.get("urls").get(0).get("url").asText()).isEqualTo("https://" + lb.get("name").asText()
                + ".cegedim.cloud");
    }

    @Test
    void addsAUrlWhenItsActionCompletes() {
        int before = first.get("urls").size();
        JsonNode tracking = json(api(simulator).contentType(ContentType.JSON)
                .body("{\"url\":\"https://portal.example.cegedim.cloud/app\"}")
                .post("/networking/loadbalancers/" + first.get("id").asLong() + "/urls")
                .then().statusCode(202).extract().response());
        assertThat(tracking.get("process").asText()).isEqualTo("LOADBALANCER_URL_ADD");
        assertThat(loadBalancer().get("urls").size()).isEqualTo(before);

        clock.advance(Duration.ofSeconds(3));

        assertThat(texts(loadBalancer().get("urls"), "url")).endsWith("https://portal.example.cegedim.cloud/app")
                .hasSize(before + 1);
    }

    @Test
    void removesAUrlWhenItsActionCompletes() {
        long urlId = first.get("urls").get(0).get("id").asLong();

        api(simulator).delete("/networking/loadbalancers/" + first.get("id").asLong() + "/urls/" + urlId).then()
                .statusCode(202)
                .body("process", equalTo("LOADBALANCER_URL_DELETE"));
        clock.advance(Duration.ofSeconds(3));

        assertThat(texts(loadBalancer().get("urls"), "id")).doesNotContain(Long.toString(urlId));
    }

    @Test
    void removingAnUnknownUrlIsA404() {
        long lbId = first.get("id").asLong();
        api(simulator).delete("/networking/loadbalancers/" + lbId + "/urls/7").then()
                .statusCode(404)
                .body(equalTo(envelope("NOT_FOUND", "NOT_FOUND", "No URL with id 7 on load balancer " + lbId,
                        "Non-existent resource")));
    }

    @Test
    void refusesAUrlThatIsNotHttp() {
        api(simulator).contentType(ContentType.JSON).body("{\"url\":\"ftp://files\"}")
                .post("/networking/loadbalancers/" + first.get("id").asLong() + "/urls").then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "url", "Error on field 'url'")));
    }

    @Test
    void createsALoadBalancerThatAppearsCreatingThenActive() {
        api(simulator).contentType(ContentType.JSON)
                .body("{\"name\":\"tnetapi01\",\"serviceId\":301002,\"environment\":\"PRODUCTION\",\"type\":\"tcp\"}")
                .post("/networking/loadbalancers").then()
                .statusCode(202)
                .body("resourceName", equalTo("tnetapi01"))
                .body("resourceType", equalTo("LOAD_BALANCER"));
        assertThat(statusOf("tnetapi01")).isEqualTo("CREATING");

        clock.advance(Duration.ofSeconds(3));

        assertThat(statusOf("tnetapi01")).isEqualTo("ACTIVE");
    }

    @Test
    void anUnknownLoadBalancerIsA404() {
        api(simulator).get("/networking/loadbalancers/3").then()
                .statusCode(404)
                .body(equalTo(envelope("NOT_FOUND", "NOT_FOUND", "No load balancer with id 3", "Non-existent resource")));
    }

    @Test
    void aWrongMethodIsA405() {
        api(simulator).put("/networking/loadbalancers").then()
                .statusCode(405)
                .body(equalTo(envelope("METHOD_NOT_ALLOWED", "METHOD_NOT_ALLOWED", "PUT", "Method not allowed")));
    }

    private String statusOf(String name) {
        JsonNode page = json(api(simulator).queryParam("names", name).get("/networking/loadbalancers"));
        assertThat(page.get("totalElements").asLong()).isEqualTo(1);
        return page.get("content").get(0).get("status").asText();
    }
}
