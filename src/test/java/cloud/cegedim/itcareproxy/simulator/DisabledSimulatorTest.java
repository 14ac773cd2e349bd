package cloud.cegedim.itcareproxy.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(DisabledSimulatorTest.Disabled.class)
class DisabledSimulatorTest {

    /** The default: the simulator is off. Only the port is set, to one known to be free, to prove nothing binds it. */
    public static class Disabled implements QuarkusTestProfile {

        static final int PORT = SimulatorTestProfile.freePort();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("itcare-proxy.simulator.port", Integer.toString(PORT));
        }
    }

    @Inject
    SimulatorConfig config;

    @Inject
    ItcareSimulator simulator;

    @Test
    void isOffByDefault() {
        assertThat(config.enabled()).isFalse();
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.actionDuration()).hasSeconds(3);
        assertThat(config.seed()).isEqualTo(42L);
    }

    @Test
    void listensNowhereWhenDisabled() {
        assertThatThrownBy(simulator::port).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("itcare-proxy.simulator.enabled");
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", Disabled.PORT), 1000);
            }
        }).isInstanceOf(IOException.class);
    }
}
