package cloud.cegedim.itcareproxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    /** Starts at an arbitrary value: the budget must only use differences. */
    private final AtomicLong clock = new AtomicLong(123_456_789_000L);
    private final RetryBudget budget = new RetryBudget(0.2, 10, clock::get);
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static int grants(RetryBudget budget, int tries) {
        int granted = 0;
        for (int i = 0; i < tries; i++) {
            granted += budget.tryAcquireRetry() ? 1 : 0;
        }
        return granted;
    }

    private static void requests(RetryBudget budget, int count) {
        for (int i = 0; i < count; i++) {
            budget.onRequest();
        }
    }

    @Test
    void withoutTrafficTheFloorAllowsTenSecondsOfMinPerSecond() {
        assertThat(grants(budget, 1_000)).isEqualTo(100);
    }

    @Test
    void fiveHundredRequestsAllowAHundredRetriesOnTopOfTheFloor() {
        requests(budget, 500);

        assertThat(grants(budget, 1_000)).isEqualTo(200);
    }

    @Test
    void aFractionalAllowanceIsNeverOvershot() {
        requests(budget, 51);

        assertThat(grants(budget, 1_000)).isEqualTo(110);
        budget.onRequest();
        budget.onRequest();
        budget.onRequest();
        budget.onRequest();
        assertThat(grants(budget, 10)).isEqualTo(1);
    }

    @Test
    void retriesAndRequestsCountForTheWholeTenSeconds() {
        requests(budget, 500);
        assertThat(grants(budget, 1_000)).isEqualTo(200);

        clock.addAndGet(9 * SECOND + SECOND / 2);

        assertThat(grants(budget, 1_000)).isZero();
    }

    @Test
    void trafficOlderThanTheWindowAgesOut() {
        requests(budget, 500);
        assertThat(grants(budget, 1_000)).isEqualTo(200);

        clock.addAndGet(10 * SECOND);

        assertThat(grants(budget, 1_000)).isEqualTo(100);
    }

    @Test
    void agingIsPerSecond() {
        for (int second = 0; second < 10; second++) {
            requests(budget, 100);
            if (second < 9) {
                clock.addAndGet(SECOND);
            }
        }
        assertThat(grants(budget, 1_000)).isEqualTo(300);

        clock.addAndGet(SECOND);
        assertThat(grants(budget, 1_000)).as("900 requests and 300 retries left in the window").isZero();

        requests(budget, 100);
        assertThat(grants(budget, 1_000)).as("1000 requests allow 300, all taken").isZero();

        requests(budget, 5);
        assertThat(grants(budget, 1_000)).isEqualTo(1);
    }

    @Test
    void aLongSilenceStartsAFreshWindow() {
        requests(budget, 500);
        grants(budget, 1_000);

        clock.addAndGet(3_600 * SECOND);

        assertThat(grants(budget, 1_000)).isEqualTo(100);
        requests(budget, 50);
        assertThat(grants(budget, 1_000)).isEqualTo(10);
    }

    @Test
    void aZeroBudgetNeverAllowsARetry() {
        RetryBudget none = new RetryBudget(0, 0, clock::get);
        requests(none, 1_000);

        assertThat(grants(none, 100)).isZero();
    }

    @Test
    void aFullRatioAllowsOneRetryPerRequest() {
        RetryBudget full = new RetryBudget(1.0, 0, clock::get);
        requests(full, 5);

        assertThat(grants(full, 100)).isEqualTo(5);
    }

    @Test
    void concurrentRetriesNeverTakeMoreThanTheFloor() throws Exception {
        assertThat(runConcurrently(8, () -> grants(budget, 1_000))).isEqualTo(100);
    }

    @Test
    void concurrentRetriesAfterConcurrentRequestsTakeExactlyTheAllowance() throws Exception {
        runConcurrently(4, () -> {
            requests(budget, 2_500);
            return 0;
        });

        assertThat(runConcurrently(8, () -> grants(budget, 1_000))).isEqualTo(2_100);
    }

    @Test
    void retriesRacingRequestsStayWithinTheFinalAllowance() throws Exception {
        int granted = runConcurrently(8, () -> {
            int mine = 0;
            for (int i = 0; i < 1_000; i++) {
                budget.onRequest();
                mine += grants(budget, 2);
            }
            return mine;
        });

        assertThat(granted).isLessThanOrEqualTo(1_700);
        assertThat(granted + grants(budget, 1_000)).as("8000 requests allow 0.2 * 8000 + 100").isEqualTo(1_700);
    }

    /** Runs {@code task} on {@code threads} threads released together; returns the sum of their results. */
    private int runConcurrently(int threads, Callable<Integer> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return task.call();
            }));
        }
        int sum = 0;
        for (Future<Integer> result : results) {
            sum += result.get(30, TimeUnit.SECONDS);
        }
        return sum;
    }
}
