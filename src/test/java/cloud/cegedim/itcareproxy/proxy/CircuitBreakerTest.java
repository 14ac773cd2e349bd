package cloud.cegedim.itcareproxy.proxy;

import static cloud.cegedim.itcareproxy.support.FakeUpstream.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.resilience.Resilience;
import cloud.cegedim.itcareproxy.support.Envelopes;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/** Breakers per area through real HTTP: they open on 5xx, refuse without calling, half-open, close. Retries are off. */
@QuarkusTest
@TestProfile(CircuitBreakerTest.SmallWindow.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class CircuitBreakerTest extends ProxyTestBase {

    public static class SmallWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "itcare-proxy.retry.enabled", "false",
                    "itcare-proxy.circuit-breaker.request-volume", "4",
                    "itcare-proxy.circuit-breaker.failure-ratio", "0.5",
                    "itcare-proxy.circuit-breaker.delay", "1s",
                    "itcare-proxy.circuit-breaker.success-threshold", "1");
        }
    }

    @Inject
    Resilience resilience;

    // The management root path (/q) is prefixed by Quarkus.
    @TestHTTPResource(value = "/circuit-breakers", management = true)
    URL breakersPage;

    @BeforeEach
    void closeBreakers() {
        resilience.breakers().resetAll();
    }

    @Test
    void opensAfterTheWindowFailsAndRefusesWithoutCallingTheUpstream() {
        upstream.answer(status(503));
        for (int i = 0; i < 4; i++) {
            assertThat(client.get("/compute/instances/" + i).statusCode()).isEqualTo(503);
        }

        HttpResponse<String> refused = client.get("/compute/instances/9");

        Envelopes.assertProxyError(refused, 503, "SERVICE_UNAVAILABLE", ErrorCode.CIRCUIT_OPEN);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(upstream.count()).isEqualTo(4);
        JsonObject compute = breaker("compute");
        assertThat(compute.getString("state")).isEqualTo("open");
        assertThat(compute.getInteger("windowFailures")).isEqualTo(4);
    }

    @Test
    void anotherAreaIsUnaffected() {
        upstream.answer(status(503));
        for (int i = 0; i < 5; i++) {
            client.get("/compute/instances/" + i);
        }
        upstream.answer(request -> request.response().end("[]"));

        HttpResponse<String> other = client.get("/databases/postgresql");

        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo("[]");
        assertThat(upstream.last().uri()).isEqualTo("/itcare/databases/postgresql");
    }

    @Test
    void halfOpensAfterTheDelayAndClosesOnSuccess() {
        upstream.answer(status(500));
        for (int i = 0; i < 4; i++) {
            client.get("/networking/loadbalancers/" + i);
        }
        assertThat(client.get("/networking/loadbalancers").statusCode()).isEqualTo(503);
        upstream.answer(request -> request.response().end("{\"content\":[]}"));

        FakeUpstream.await(Duration.ofSeconds(5), () -> client.get("/networking/loadbalancers").statusCode() == 200);

        assertThat(breaker("networking").getString("state")).isEqualTo("closed");
        assertThat(client.get("/networking/loadbalancers").body()).isEqualTo("{\"content\":[]}");
    }

    @Test
    void clientErrorsDoNotCount() {
        upstream.answer(status(404));
        for (int i = 0; i < 10; i++) {
            assertThat(client.get("/storage/volumes/" + i).statusCode()).isEqualTo(404);
        }

        assertThat(breaker("storage").getString("state")).isEqualTo("closed");
        assertThat(upstream.count()).isEqualTo(10);
    }

    @Test
    void theUpstreamsOwnErrorStillReachesTheClientWhileTheBreakerCountsIt() {
        String envelope = "{\"status\":\"SERVICE_UNAVAILABLE\",\"errorCode\":\"MAINTENANCE\",\"errorDesc\":\"compute\","
                + "\"errorMessage\":\"Planned maintenance\"}";
        upstream.answer(request -> request.response().setStatusCode(503).end(envelope));

        HttpResponse<String> response = client.send(client.request("/compute/instances")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo(envelope);
        assertThat(response.headers().firstValue("X-ITCare-Proxy-Origin")).hasValue("upstream");
        assertThat(breaker("compute").getInteger("windowFailures")).isEqualTo(1);
    }

    @Test
    void clientsThatLeaveInTheMiddleOfAnUploadDoNotOpenTheBreaker() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.port())) {
                socket.getOutputStream().write(("PUT /storage/objects/" + i + " HTTP/1.1\r\nHost: p\r\n"
                        + "Content-Length: 100000\r\n\r\n" + "x".repeat(1000)).getBytes());
                socket.getOutputStream().flush();
                FakeUpstream.await(Duration.ofSeconds(5), () -> proxy.inFlight() == 1);
            }
            FakeUpstream.await(Duration.ofSeconds(5), () -> proxy.inFlight() == 0);
        }

        // The exchange ends when the client leaves; its attempt is counted a moment later.
        FakeUpstream.await(Duration.ofSeconds(5), () -> breaker("storage").getInteger("windowCalls") >= 3);
        JsonObject storage = breaker("storage");
        assertThat(storage.getString("state")).isEqualTo("closed");
        assertThat(storage.getInteger("windowFailures")).isZero();
    }

    @Test
    void clientsThatLeaveWhileTheirRequestWaitsForTheUpstreamDoNotOpenTheBreaker() throws Exception {
        upstream.answer(request -> io.vertx.core.Vertx.currentContext().owner()
                .setTimer(300, id -> request.response().end("{\"late\":true}")));
        for (int i = 0; i < 6; i++) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.port())) {
                socket.getOutputStream().write(("GET /compute/instances/" + i + " HTTP/1.1\r\nHost: p\r\n\r\n")
                        .getBytes());
                socket.getOutputStream().flush();
                int before = i;
                FakeUpstream.await(Duration.ofSeconds(5), () -> upstream.count() == before + 1);
            }
        }
        FakeUpstream.await(Duration.ofSeconds(10), () -> breaker("compute").getInteger("windowCalls") == 4);

        JsonObject compute = breaker("compute");
        assertThat(compute.getString("state")).isEqualTo("closed");
        assertThat(compute.getInteger("windowFailures")).isZero();
    }

    private JsonObject breaker(String name) {
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(java.net.URI.create(breakersPage.toString())).build());
        assertThat(page.statusCode()).as(breakersPage + ": " + page.body()).isEqualTo(200);
        for (Object entry : new JsonObject(page.body()).getJsonArray("breakers")) {
            JsonObject breaker = (JsonObject) entry;
            if (breaker.getString("name").equals(name)) {
                return breaker;
            }
        }
        throw new AssertionError("no breaker " + name + " in " + page.body());
    }
}
