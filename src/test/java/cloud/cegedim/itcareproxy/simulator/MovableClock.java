package cloud.cegedim.itcareproxy.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The simulator's clock in tests: it stands still until a test moves it. As an enabled alternative carrying
 * {@link Simulated}, it replaces the system clock for the simulator only.
 */
@Alternative
@Priority(1)
@Singleton
@Simulated
public class MovableClock extends Clock {

    static final Instant START = Instant.parse("2025-07-06T11:01:21.263Z");

    private final AtomicReference<Instant> now;

    public MovableClock() {
        this(START);
    }

    MovableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    void advance(Duration duration) {
        now.updateAndGet(instant -> instant.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(instant(), zone);
    }
}
