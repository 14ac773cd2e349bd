package cloud.cegedim.itcareproxy.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Full-jitter exponential back-off: the wait before retry number {@code n} is drawn uniformly from
 * {@code [0, min(max, initial * 2^(n-1))]}. Full jitter (rather than "exponential plus a little noise") is what spreads
 * the retries of many clients that failed at the same instant, so that they do not come back as a synchronised wave
 * on an upstream that is already struggling.
 *
 * <p>The random source is injected: production uses {@link #randomJitter()}, tests a constant. The arithmetic is
 * done in nanoseconds with an explicit cap test before shifting, so that no attempt number, however large, overflows.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final DoubleSupplier jitter;

    /**
     * @param initial the cap of the first retry's wait ({@code retry.backoff.initial})
     * @param max     the cap of every wait ({@code retry.backoff.max})
     * @param jitter  values in {@code [0, 1)}; values outside are clamped into {@code [0, 1]}
     */
    public Backoff(Duration initial, Duration max, DoubleSupplier jitter) {
        if (initial.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("back-off durations must not be negative: " + initial + ", " + max);
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.jitter = Objects.requireNonNull(jitter, "jitter");
    }

    /** The back-off of an area's retry settings. */
    public static Backoff of(RetrySettings settings, DoubleSupplier jitter) {
        return new Backoff(settings.backoffInitial(), settings.backoffMax(), jitter);
    }

    /** A jitter source safe to call from any thread without contention. */
    public static DoubleSupplier randomJitter() {
        return () -> ThreadLocalRandom.current().nextDouble();
    }

    /**
     * The wait before retry number {@code retryNumber} (1 for the retry after the first attempt).
     *
     * @throws IllegalArgumentException when {@code retryNumber < 1}
     */
    public Duration delay(int retryNumber) {
        double draw = Math.min(1.0, Math.max(0.0, jitter.getAsDouble()));
        return Duration.ofNanos((long) (draw * ceilingNanos(retryNumber)));
    }

    /** The upper bound of {@link #delay(int)}: {@code min(max, initial * 2^(retryNumber-1))}. */
    public Duration ceiling(int retryNumber) {
        return Duration.ofNanos(ceilingNanos(retryNumber));
    }

    private long ceilingNanos(int retryNumber) {
        if (retryNumber < 1) {
            throw new IllegalArgumentException("retry numbers start at 1: " + retryNumber);
        }
        if (initialNanos == 0) {
            return 0;
        }
        int shift = retryNumber - 1;
        // initial << shift stays below max exactly when initial <= max >> shift; checking it this way round never
        // shifts bits out of the long, whatever the attempt number.
        if (shift >= Long.SIZE - 1 || initialNanos > (maxNanos >> shift)) {
            return maxNanos;
        }
        return initialNanos << shift;
    }
}
