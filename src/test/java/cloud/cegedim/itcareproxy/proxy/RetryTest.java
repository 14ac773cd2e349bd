package cloud.cegedim.itcareproxy.proxy;

import static cloud.cegedim.itcareproxy.support.FakeUpstream.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.support.Bodies;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/** Retries through real HTTP, with the exact number of attempts the upstream saw. Breakers are off here. */
@QuarkusTest
@TestProfile(RetryTest.FastRetries.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class RetryTest extends ProxyTestBase {

    public static class FastRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "itcare-proxy.retry.backoff.initial", "5ms",
                    "itcare-proxy.retry.backoff.max", "20ms",
                    "itcare-proxy.retry.budget.min-per-second", "1",
                    "itcare-proxy.circuit-breaker.enabled", "false",
                    "itcare-proxy.areas.\"actions\".retry.enabled", "false");
        }
    }

    @Test
    void retries503ForGetUntilSuccess() {
        upstream.script(status(503), status(503), request -> request.response().end("{\"id\":500061854}"));

        HttpResponse<String> response = client.get("/compute/instances/500061854");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"id\":500061854}");
        assertThat(response.headers().firstValue("X-ITCare-Proxy-Attempts")).hasValue("3");
        assertThat(upstream.count()).isEqualTo(3);
    }

    @Test
    void neverRetriesPostOn503() {
        upstream.answer(status(503));

        HttpResponse<String> response = client.send(client.request("/compute/instances")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"vm\"}")).build());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("X-ITCare-Proxy-Attempts")).isEmpty();
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void replaysA512KibPutByteExactAfter500() {
        upstream.script(status(500), request -> request.response().end("stored"));
        int chunks = 8; // 512 KiB

        HttpResponse<String> response = client.send(client.request("/storage/objects/1")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Bodies.whole(5, chunks))).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("stored");
        List<FakeUpstream.Received> received = upstream.received();
        assertThat(received).hasSize(2);
        assertThat(received).allSatisfy(r -> {
            assertThat(r.bodyLength()).isEqualTo((long) chunks * Bodies.CHUNK);
            assertThat(r.bodySha256()).isEqualTo(Bodies.sha256(5, chunks));
        });
    }

    @Test
    void doesNotRetryAPutLargerThanTheReplayBuffer() {
        upstream.answer(status(500));

        HttpResponse<String> response = client.send(client.request("/storage/objects/2")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Bodies.whole(6, 32))).build()); // 2 MiB

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(new JsonObject(response.body()).getString("errorCode")).isEqualTo("INTERNAL_SERVER_ERROR");
        assertThat(upstream.count()).isEqualTo(1);
        assertThat(upstream.last().bodySha256()).isEqualTo(Bodies.sha256(6, 32));
    }

    @Test
    void waitsForAShortRetryAfter() {
        upstream.script(request -> request.response().setStatusCode(503).putHeader("Retry-After", "1").end(),
                request -> request.response().end("ok"));

        HttpResponse<String> response = client.get("/databases/postgresql/7");

        assertThat(response.statusCode()).isEqualTo(200);
        List<FakeUpstream.Received> received = upstream.received();
        assertThat(received).hasSize(2);
        assertThat(received.get(1).receivedNanos() - received.get(0).receivedNanos())
                .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void handsBackALongRetryAfterWithoutRetrying() {
        upstream.answer(request -> request.response().setStatusCode(503).putHeader("Retry-After", "3600").end());

        HttpResponse<String> response = client.get("/databases/postgresql/7");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("3600");
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void retriesAResetGetButNotAResetPatch() {
        upstream.script(request -> request.connection().close(), request -> request.response().end("second"));
        HttpResponse<String> get = client.get("/compute/instances/1");
        int afterGet = upstream.count();

        upstream.reset();
        upstream.answer(request -> request.connection().close());
        HttpResponse<String> patch = client.send(client.request("/databases/postgresql/1")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"operation\":\"stop\"}")).build());

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("second");
        assertThat(afterGet).isEqualTo(2);
        assertThat(patch.statusCode()).isEqualTo(502);
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void honoursAnAreasOverride() {
        upstream.answer(status(503));

        HttpResponse<String> response = client.get("/actions/42");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(upstream.count()).isEqualTo(1);
    }
}
