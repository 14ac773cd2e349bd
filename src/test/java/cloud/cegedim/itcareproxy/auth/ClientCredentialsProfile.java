package cloud.cegedim.itcareproxy.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The proxy in client-credentials mode against the embedded simulator's token endpoint on a free port, the simulator
 * requiring its tokens on the ITCare API. Every logger is at TRACE (the console only shows INFO) so that the log
 * test sees every line the proxy, the simulator, Vert.x, Netty and Quarkus write.
 */
public class ClientCredentialsProfile implements QuarkusTestProfile {

    static final String CLIENT_ID = "itcare-proxy";
    static final String SECRET = "simulator-secret";

    @Override
    public Map<String, String> getConfigOverrides() {
        int port = freePort();
        Map<String, String> config = new HashMap<>(common(port));
        config.put("itcare-proxy.auth.client-secret", SECRET);
        return config;
    }

    static Map<String, String> common(int port) {
        Map<String, String> config = new HashMap<>();
        config.put("itcare-proxy.simulator.enabled", "true");
        config.put("itcare-proxy.simulator.port", Integer.toString(port));
        config.put("itcare-proxy.simulator.require-token", "true");
        config.put("itcare-proxy.auth.mode", "client-credentials");
        config.put("itcare-proxy.auth.token-url",
                "http://127.0.0.1:" + port + "/auth/realms/cloud/protocol/openid-connect/token");
        config.put("itcare-proxy.auth.client-id", CLIENT_ID);
        config.put("quarkus.log.min-level", "TRACE");
        config.put("quarkus.log.level", "TRACE");
        config.put("quarkus.log.console.level", "INFO");
        // The tests' own HTTP client (RestAssured) logs whole requests at DEBUG: it is not the proxy.
        config.put("quarkus.log.category.\"org.apache.http\".level", "INFO");
        return config;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
