package cloud.cegedim.itcareproxy.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Turns the simulator on, on a port free when the tests start, with the default seed and a 3 s action duration that
 * the tests cross by moving {@link MovableClock}, never by waiting.
 */
public class SimulatorTestProfile implements QuarkusTestProfile {

    static final int PORT = freePort();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "itcare-proxy.simulator.enabled", "true",
                "itcare-proxy.simulator.port", Integer.toString(PORT),
                "itcare-proxy.simulator.action-duration", "3s",
                "itcare-proxy.simulator.seed", "42");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
