package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static cloud.cegedim.itcareproxy.support.Envelopes.assertProxyError;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.metrics.AccessLog;
import cloud.cegedim.itcareproxy.support.Bodies;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.LogCapture;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Resets, silences and cut bodies from the upstream: each becomes the contract's envelope, or a visibly broken body. */
@QuarkusTest
@TestProfile(UpstreamFailureTest.ShortTimeouts.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class UpstreamFailureTest extends ProxyTestBase {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "itcare-proxy.upstream.try-timeout", "400ms",
                    "itcare-proxy.upstream.request-timeout", "3s",
                    "itcare-proxy.retry.enabled", "false");
        }
    }

    @Test
    void aConnectionClosedBeforeAnyAnswerIsUpstreamUnreachable() {
        upstream.answer(request -> request.connection().close());

        HttpResponse<String> response = client.get("/compute/instances");

        assertProxyError(response, 502, "BAD_GATEWAY", ErrorCode.UPSTREAM_UNREACHABLE);
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void noAnswerWithinTheTryTimeoutIsUpstreamTimeout() {
        upstream.answer(request -> {
        });

        HttpResponse<String> response = client.send(client.request("/compute/instances")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"vm\"}")).build());

        assertProxyError(response, 504, "GATEWAY_TIMEOUT", ErrorCode.UPSTREAM_TIMEOUT);
        assertThat(new JsonObject(response.body()).getString("errorDesc")).contains("upstream.try-timeout");
        assertThat(upstream.count()).isEqualTo(1);
    }

    @Test
    void aFixedLengthBodyCutUpstreamIsNotPresentedAsComplete() {
        upstream.answer(request -> {
            request.response().putHeader("Content-Length", "1000").write(Buffer.buffer(new byte[100]));
            request.connection().close();
        });

        assertThatThrownBy(() -> client.sendForBytes(client.request("/storage/x").GET().build()))
                .hasRootCauseInstanceOf(java.io.IOException.class);
    }

    @Test
    void aChunkedBodyCutUpstreamIsNotPresentedAsComplete() {
        upstream.answer(request -> {
            request.response().setChunked(true).write(Buffer.buffer(new byte[5000]));
            request.connection().close();
        });

        assertThatThrownBy(() -> client.sendForBytes(client.request("/storage/x").GET().build()))
                .hasRootCauseInstanceOf(java.io.IOException.class);
    }

    @Test
    void keepsServingAfterFailures() {
        upstream.answer(request -> request.connection().close());
        client.get("/compute/instances");
        upstream.reset();

        HttpResponse<String> response = client.get("/compute/instances");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void aClientThatLeavesBeforeTheAnswerIsLoggedWithStatusZeroAndNotCompleted() throws Exception {
        try (LogCapture access = LogCapture.of(AccessLog.CATEGORY)) {
            upstream.answer(request -> {
                // never answers
            });
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.port())) {
                socket.getOutputStream().write("GET /compute/unanswered HTTP/1.1\r\nHost: p\r\n\r\n".getBytes());
                FakeUpstream.await(java.time.Duration.ofSeconds(5), () -> upstream.count() == 1);
            }
            FakeUpstream.await(java.time.Duration.ofSeconds(10),
                    () -> access.messages().stream().anyMatch(line -> line.contains("route=/compute/unanswered")));

            assertThat(access.messages()).filteredOn(line -> line.contains("route=/compute/unanswered")).singleElement()
                    .asString().contains(" status=0 ").endsWith(" completed=false");
            assertThat(proxy.inFlight()).isZero();
        }
    }

    @Test
    void aClientThatLeavesInTheMiddleOfABodyReleasesItsPlace() throws Exception {
        upstream.answer(request -> Bodies.write(request.response(), 3, 800, true)); // 50 MiB, chunked
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.port())) {
            socket.getOutputStream().write("GET /storage/big HTTP/1.1\r\nHost: p\r\n\r\n".getBytes());
            byte[] some = socket.getInputStream().readNBytes(64 * 1024);
            assertThat(new String(some, 0, 15)).isEqualTo("HTTP/1.1 200 OK");
        }

        FakeUpstream.await(java.time.Duration.ofSeconds(10), () -> proxy.inFlight() == 0);
    }
}
