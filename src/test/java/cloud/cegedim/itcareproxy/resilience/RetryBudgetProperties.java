package cloud.cegedim.itcareproxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The budget against a plain ledger of what happened in each second: whatever the history, a retry is granted exactly
 * when granting it keeps the trailing 10 s within {@code ratio * requests + minPerSecond * 10}.
 */
class RetryBudgetProperties {

    private static final long MILLI = 1_000_000L;
    private static final long PPM = 1_000_000L;

    /** One step of history: time passes, some requests arrive, some retries are asked for. */
    record Step(int advanceMillis, int requests, int retries) {
    }

    @Provide
    Arbitrary<Step> steps() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 2_500),
                Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, 60)).as(Step::new);
    }

    @Provide
    Arbitrary<Double> ratios() {
        return Arbitraries.of(0.0, 0.1, 0.2, 0.25, 0.5, 1.0);
    }

    @Property(tries = 300)
    void grantedRetriesNeverExceedTheAllowanceOfTheTrailingWindow(
            @ForAll("ratios") double ratio,
            @ForAll @IntRange(min = 0, max = 5) int minPerSecond,
            @ForAll @Size(max = 60) List<@From("steps") Step> history) {
        AtomicLong clock = new AtomicLong(-7_000 * MILLI);
        long start = clock.get();
        RetryBudget budget = new RetryBudget(ratio, minPerSecond, clock::get);
        TreeMap<Long, long[]> ledger = new TreeMap<>();

        for (Step step : history) {
            clock.addAndGet(step.advanceMillis() * MILLI);
            long second = Math.floorDiv(clock.get() - start, 1_000 * MILLI);
            long[] counts = ledger.computeIfAbsent(second, s -> new long[2]);
            for (int i = 0; i < step.requests(); i++) {
                budget.onRequest();
                counts[0]++;
            }
            for (int i = 0; i < step.retries(); i++) {
                long requests = 0;
                long retries = 0;
                for (long[] window : ledger.subMap(second - 9, true, second, true).values()) {
                    requests += window[0];
                    retries += window[1];
                }
                long allowancePpm = Math.round(ratio * PPM) * requests + minPerSecond * 10L * PPM;
                boolean fits = (retries + 1) * PPM <= allowancePpm;

                boolean granted = budget.tryAcquireRetry();

                assertThat(granted).as("retry %d at second %d, window %d requests %d retries", i, second, requests,
                        retries).isEqualTo(fits);
                if (granted) {
                    counts[1]++;
                    assertThat((double) retries + 1).isLessThanOrEqualTo(ratio * requests + minPerSecond * 10);
                }
            }
        }
    }
}
