package cloud.cegedim.itcareproxy.resilience;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

import cloud.cegedim.itcareproxy.config.ProxyConfig;

/**
 * Retries may add at most {@code ratio} of the requests seen over the last 10 s, plus {@code min-per-second} retries
 * per second always allowed. This is what keeps retries from multiplying the load on an upstream that is already
 * failing (Envoy's and Finagle's retry budgets): when everything fails, traffic grows by at most {@code ratio}, not by
 * {@code max-attempts}.
 *
 * <h2>Arithmetic</h2>
 * Over the window of the current second and the 9 before it, with {@code requests} the calls to {@link #onRequest()}
 * and {@code retries} the retries granted, a retry is granted when
 * <pre>   retries + 1 &lt;= ratio * requests + minPerSecond * 10</pre>
 * that is, when granting it keeps the window within its allowance, so the number of retries granted in any window
 * never exceeds {@code ratio * requests + minPerSecond * 10}. (The looser "{@code retries < allowance}" would let the
 * last grant overshoot a fractional allowance by up to one.) The ratio is held in millionths so that the test is exact
 * integer arithmetic: {@code (retries + 1) * 1e6 <= ratioPpm * requests + minPerSecond * 10 * 1e6}. The floor is a
 * per-window allowance of {@code 10 * minPerSecond}, not a per-second rate limit within the window. With the defaults
 * (0.2, 10/s) and no traffic at all, 100 retries may be made in any 10 s; after 500 requests, 200.
 *
 * <p>The bound holds at every grant, for the window that ends at that grant. Retries are not taken back when the
 * requests that allowed them age out: a later window may hold more retries than its own requests allow, and then no
 * retry is granted until enough of them have aged out too.
 *
 * <h2>Concurrency</h2>
 * Lock-free. The current second lives in one {@code long} (its second, requests and retries, packed), changed only by
 * compare-and-set, so a grant is checked against and recorded in the same atomic step: threads racing for the last
 * retry of the allowance cannot both win. When the second changes, the thread that moves the head first publishes
 * the finished second into its history slot and only then replaces the head, so anyone who sees the new second also
 * sees the whole of the previous one; history slots are never written again for the same second with smaller
 * counts. Counts saturate at about a million per second per field, far above what one proxy instance serves;
 * saturated requests only make the budget stricter, saturated retries stop granting.
 */
public final class RetryBudget {

    /** Seconds in the window. */
    static final int WINDOW_SECONDS = 10;

    private static final int COUNT_BITS = 20;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
    private static final int REQUESTS_SHIFT = COUNT_BITS;
    private static final int SECOND_SHIFT = 2 * COUNT_BITS;
    /**
     * Seconds are stored in the top 24 bits, modulo a multiple of the window (10 * 2^20 s, about 121 days) so that the
     * slot of a second, {@code second % 10}, stays consistent when the stored second wraps around. A slot left
     * untouched for a whole multiple of that period could be mistaken for a recent one for a few seconds: a bounded,
     * self-healing error in a budget, accepted for a lock-free single-word head.
     */
    private static final long SECOND_MODULUS = WINDOW_SECONDS * (1L << 20);
    private static final long PPM = 1_000_000;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long ratioPpm;
    private final long floorPpm;
    private final LongSupplier nanoTime;
    private final long originNanos;
    private final AtomicLong head;
    private final AtomicLongArray history = new AtomicLongArray(WINDOW_SECONDS);

    /**
     * @param ratio        share of the window's requests that retries may add, 0 to 1 ({@code retry.budget.ratio})
     * @param minPerSecond retries per second always allowed ({@code retry.budget.min-per-second})
     * @param nanoTime     a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
     */
    public RetryBudget(double ratio, int minPerSecond, LongSupplier nanoTime) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("retry.budget.ratio must be within 0..1: " + ratio);
        }
        if (minPerSecond < 0) {
            throw new IllegalArgumentException("retry.budget.min-per-second must not be negative: " + minPerSecond);
        }
        this.ratioPpm = Math.round(ratio * PPM);
        this.floorPpm = (long) minPerSecond * WINDOW_SECONDS * PPM;
        this.nanoTime = nanoTime;
        this.originNanos = nanoTime.getAsLong();
        this.head = new AtomicLong(pack(0, 0, 0));
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            // a second old enough to be outside any window that starts at 0
            history.set(i, pack(SECOND_MODULUS - WINDOW_SECONDS - i, 0, 0));
        }
    }

    /** The budget of the global {@code retry.budget.*} keys. */
    public static RetryBudget of(ProxyConfig.Retry.Budget config, LongSupplier nanoTime) {
        return new RetryBudget(config.ratio(), config.minPerSecond(), nanoTime);
    }

    /** Counts one client request (once per request, not per attempt). */
    public void onRequest() {
        while (true) {
            long current = currentHead();
            if (requests(current) == COUNT_MASK || head.compareAndSet(current, current + (1L << REQUESTS_SHIFT))) {
                return;
            }
        }
    }

    /** Whether one more retry fits in the budget; when it does, the retry is counted before this returns. */
    public boolean tryAcquireRetry() {
        while (true) {
            long current = currentHead();
            long second = second(current);
            long requests = requests(current);
            long retries = retries(current);
            for (int slot = 0; slot < WINDOW_SECONDS; slot++) {
                long past = history.get(slot);
                long age = Math.floorMod(second - second(past), SECOND_MODULUS);
                if (age >= 1 && age < WINDOW_SECONDS) {
                    requests += requests(past);
                    retries += retries(past);
                }
            }
            if ((retries + 1) * PPM > ratioPpm * requests + floorPpm || retries(current) == COUNT_MASK) {
                return false;
            }
            if (head.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** The head, moved to the current second first if time has passed. */
    private long currentHead() {
        long now = Math.floorMod(Math.floorDiv(nanoTime.getAsLong() - originNanos, NANOS_PER_SECOND), SECOND_MODULUS);
        while (true) {
            long current = head.get();
            long age = Math.floorMod(now - second(current), SECOND_MODULUS);
            if (age == 0 || age > SECOND_MODULUS / 2) {
                // same second, or this thread read the clock just before another moved the head: count in the head
                return current;
            }
            publish(current);
            long fresh = pack(now, 0, 0);
            if (head.compareAndSet(current, fresh)) {
                return fresh;
            }
        }
    }

    /** Stores a finished (or finishing) second in its slot unless the slot already holds as much or newer. */
    private void publish(long finished) {
        int slot = (int) (second(finished) % WINDOW_SECONDS);
        while (true) {
            long stored = history.get(slot);
            long age = Math.floorMod(second(finished) - second(stored), SECOND_MODULUS);
            boolean newer = age != 0 && age <= SECOND_MODULUS / 2;
            boolean moreOfSame = age == 0 && stored < finished;
            if (!newer && !moreOfSame) {
                return;
            }
            if (history.compareAndSet(slot, stored, finished)) {
                return;
            }
        }
    }

    private static long pack(long second, long requests, long retries) {
        return (second << SECOND_SHIFT) | (requests << REQUESTS_SHIFT) | retries;
    }

    private static long second(long packed) {
        return packed >>> SECOND_SHIFT;
    }

    private static long requests(long packed) {
        return (packed >>> REQUESTS_SHIFT) & COUNT_MASK;
    }

    private static long retries(long packed) {
        return packed & COUNT_MASK;
    }
}
