package cloud.cegedim.itcareproxy.simulator;

import java.time.Clock;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Time and chance for the simulator. Tests replace either with an {@code @Alternative} bean carrying
 * {@link Simulated}: a clock they move by hand, dice that always roll the same number.
 */
@Singleton
public class SimulatorProducers {

    @Produces
    @Singleton
    @Simulated
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Seeded, so a fault with a rate below 1 hits the same requests on every run with the same seed. */
    @Produces
    @Singleton
    @Simulated
    RandomGenerator random(SimulatorConfig config) {
        return new SplittableRandom(config.seed());
    }
}
