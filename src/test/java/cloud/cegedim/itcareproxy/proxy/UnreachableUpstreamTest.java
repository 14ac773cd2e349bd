package cloud.cegedim.itcareproxy.proxy;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Nothing listens where the upstream should be: 502 UPSTREAM_UNREACHABLE, made by the proxy. */
@QuarkusTest
@TestProfile(UnreachableUpstreamTest.ClosedPort.class)
class UnreachableUpstreamTest {

    public static class ClosedPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("itcare-proxy.upstream.url", "http://127.0.0.1:" + closedPort() + "/itcare",
                    "itcare-proxy.retry.enabled", "false");
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

        cloud.cegedim.itcareproxy.support.Envelopes.assertProxyError(response, 502, "BAD_GATEWAY", ErrorCode.UPSTREAM_UNREACHABLE);
    }
}
