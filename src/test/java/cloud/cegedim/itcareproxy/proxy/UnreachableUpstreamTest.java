package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.ServerSocket;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.support.Envelopes;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Nothing listens where the upstream should be: 502 UPSTREAM_UNREACHABLE, made by the proxy, after every attempt. */
@QuarkusTest
@TestProfile(UnreachableUpstreamTest.ClosedPort.class)
class UnreachableUpstreamTest {

    public static class ClosedPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("itcare-proxy.upstream.url", "http://127.0.0.1:" + closedPort() + "/itcare",
                    "itcare-proxy.retry.backoff.initial", "5ms",
                    "itcare-proxy.retry.backoff.max", "10ms");
        }

        private static int closedPort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    ProxyServer proxy;

    @Test
    void aRefusedConnectionIsUpstreamUnreachable() {
        var response = new ProxyClient(proxy.port()).get("/compute/instances");

        Envelopes.assertProxyError(response, 502, "BAD_GATEWAY", ErrorCode.UPSTREAM_UNREACHABLE);
    }

    @Test
    void aConnectErrorIsRetriedEvenForPostSinceNothingWasSent() {
        ProxyClient client = new ProxyClient(proxy.port());
        var response = client.send(client.request("/compute/instances")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"vm\"}")).build());

        Envelopes.assertProxyError(response, 502, "BAD_GATEWAY", ErrorCode.UPSTREAM_UNREACHABLE);
        assertThat(response.headers().firstValue("X-ITCare-Proxy-Attempts")).hasValue("3");
    }
}
