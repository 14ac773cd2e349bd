package cloud.cegedim.itcareproxy.simulator;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The embedded ITCare simulator's own knobs, under {@code itcare-proxy.simulator.}. The simulator reads only these:
 * it shares no configuration object with the proxy, so either can change without the other noticing.
 */
@ConfigMapping(prefix = "itcare-proxy.simulator")
public interface SimulatorConfig {

    /** Start the simulator at all; it is off unless a profile (dev) or a test turns it on. */
    @WithDefault("false")
    boolean enabled();

    /** TCP port the simulator listens on; 0 picks a free one, which {@link ItcareSimulator#port()} then reports. */
    @WithDefault("8089")
    int port();

    /** Interface the simulator binds to; the loopback by default, since it is a development tool. */
    @WithDefault("127.0.0.1")
    String host();

    /** How long an asynchronous action stays {@code IN_PROGRESS} before it reports {@code SUCCESS}; 0 completes at once. */
    @WithDefault("3s")
    Duration actionDuration();

    /** Seed of the generated inventory and of the fault dice: the same seed gives the same world. */
    @WithDefault("42")
    long seed();

    /** Client id its token endpoint accepts, with HTTP Basic client authentication. */
    @WithDefault("itcare-proxy")
    String clientId();

    /**
     * Client secret its token endpoint accepts. The control API ({@code POST /_simulator/auth}) can replace it at run
     * time, as a secret rotation would; the old one is then refused.
     */
    @WithDefault("simulator-secret")
    String clientSecret();

    /** Lifetime of the access tokens it issues ({@code expires_in}), in whole seconds, at least 1 s. */
    @WithDefault("1200s")
    Duration tokenLifetime();

    /**
     * Refuse ITCare API calls that do not carry a valid, unexpired bearer token it issued, with 401 and an empty body
     * as ITCare does. The control API can switch it at run time.
     */
    @WithDefault("false")
    boolean requireToken();
}
