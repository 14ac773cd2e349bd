package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.simulator.ItcareSimulator;
import cloud.cegedim.itcareproxy.simulator.SimulatorTestProfile;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/** The whole path as a developer sees it in dev mode: client, proxy, and the embedded simulator over real HTTP. */
@QuarkusTest
@TestProfile(SimulatorTestProfile.class)
class ThroughSimulatorTest {

    @Inject
    ProxyServer proxy;

    @Inject
    ItcareSimulator simulator;

    ProxyClient client;

    @BeforeEach
    void setUp() {
        client = new ProxyClient(proxy.port());
        control("POST", "/_simulator/reset", null);
    }

    @AfterEach
    void clearFaults() {
        control("DELETE", "/_simulator/faults", null);
    }

    @Test
    void listsInstancesAsASpringPage() {
        HttpResponse<String> response = client.get("/compute/instances?size=2&sort=name,asc");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject page = new JsonObject(response.body());
        assertThat(page.getJsonArray("content")).hasSize(2);
        assertThat(page.getInteger("size")).isEqualTo(2);
        assertThat(page.getInteger("number")).isZero();
        assertThat(page.getBoolean("first")).isTrue();
    }

    @Test
    void passesTheSimulatorsOwnEnvelopeForAnUnknownId() {
        HttpResponse<String> response = client.get("/compute/instances/1");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("X-ITCare-Proxy-Origin")).hasValue("upstream");
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("status")).isEqualTo("NOT_FOUND");
        assertThat(body.fieldNames()).containsExactlyInAnyOrder("status", "errorCode", "errorDesc", "errorMessage");
    }

    @Test
    void createsAnInstanceAsynchronouslyAndEchoesDryRun() {
        HttpResponse<String> created = client.send(client.request("/compute/instances")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"proxy-test-vm\",\"serviceId\":500000001,\"environment\":\"DEVELOPMENT\"}"))
                .build());
        HttpResponse<String> dryRun = client.send(client.request("/compute/instances")
                .header("Content-Type", "application/json")
                .header("ITCare-DryRun", "true")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"proxy-dry-vm\",\"serviceId\":500000001,\"environment\":\"DEVELOPMENT\"}"))
                .build());

        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        assertThat(new JsonObject(created.body()).getString("status")).isEqualTo("IN_PROGRESS");
        assertThat(dryRun.headers().firstValue("ITCare-DryRun")).hasValue("true");
    }

    @Test
    void anInjectedHtmlFaultBecomesTheEnvelope() {
        control("POST", "/_simulator/faults",
                "{\"area\":\"networking\",\"status\":502,\"rate\":1.0,\"body\":\"html\",\"durationSeconds\":60}");

        HttpResponse<String> faulted = client.get("/networking/loadbalancers");
        HttpResponse<String> other = client.get("/compute/resources");

        assertThat(faulted.statusCode()).isEqualTo(502);
        assertThat(faulted.body()).isEqualTo(
                "{\"status\":\"BAD_GATEWAY\",\"errorCode\":\"BAD_GATEWAY\",\"errorDesc\":\"\",\"errorMessage\":\"Bad Gateway\"}");
        assertThat(other.statusCode()).isEqualTo(200);
    }

    private void control(String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.port() + path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> response = client.send(request);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
    }
}
