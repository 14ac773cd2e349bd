package cloud.cegedim.itcareproxy.auth;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import cloud.cegedim.itcareproxy.resilience.Backoff;

/**
 * The spacing after a run of failures: after the {@code n}th failure in a row nothing is tried for
 * {@code min(max, initial * 2^(n-1))} times a draw in {@code [0.5, 1]}. Half of the wait is certain, unlike the full
 * jitter of the request retries: here one proxy protects the token endpoint from itself, so the wait needs a floor,
 * while the random half still spreads replicas that failed together. A run ends with {@link #reset()} (a success) or
 * after a quiet time of twice the cap without failures.
 * <p>
 * Not thread-safe: its owner guards it. Times are nanoseconds on the owner's monotonic clock.
 */
final class Cooldown {

    private final Backoff backoff;
    private final long quietNanos;
    private int streak;
    private long until;
    private long lastFailure;

    /** @param draw values in {@code [0, 1)}, turned into {@code [0.5, 1]} */
    Cooldown(Duration initial, Duration max, DoubleSupplier draw) {
        this.backoff = new Backoff(initial, max, () -> 0.5 + 0.5 * draw.getAsDouble());
        this.quietNanos = max.toNanos() * 2;
    }

    static DoubleSupplier randomDraw() {
        return () -> ThreadLocalRandom.current().nextDouble();
    }

    /** Whether the wait after the last failure is still running. */
    boolean coolingAt(long now) {
        return streak > 0 && now - until < 0;
    }

    /** Nanoseconds left of the wait; 0 when none runs. */
    long remainingAt(long now) {
        return coolingAt(now) ? until - now : 0;
    }

    /** Records a failure at {@code now} and returns the wait it starts, in nanoseconds. */
    long failed(long now) {
        if (streak > 0 && now - lastFailure > quietNanos) {
            streak = 0;
        }
        if (streak < Integer.MAX_VALUE) {
            streak++;
        }
        long wait = backoff.delay(streak).toNanos();
        until = now + wait;
        lastFailure = now;
        return wait;
    }

    /** Failures in the current run. */
    int streak() {
        return streak;
    }

    void reset() {
        streak = 0;
    }
}
