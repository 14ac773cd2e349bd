package cloud.cegedim.itcareproxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration INITIAL = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(2);
    private static final double ALMOST_ONE = Math.nextDown(1.0);

    private static Backoff withJitter(double jitter) {
        return new Backoff(INITIAL, MAX, () -> jitter);
    }

    @Test
    void theCeilingDoublesFromInitialUntilItReachesTheCap() {
        Backoff backoff = withJitter(0.5);

        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(1600));
        assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.ceiling(7)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aZeroJitterRetriesAtOnceWhateverTheAttempt() {
        Backoff backoff = withJitter(0.0);

        for (int retry = 1; retry <= 70; retry++) {
            assertThat(backoff.delay(retry)).isEqualTo(Duration.ZERO);
        }
    }

    @Test
    void aHalfJitterWaitsHalfTheCeiling() {
        Backoff backoff = withJitter(0.5);

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delay(4)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(5)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(30)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aJitterJustBelowOneStaysWithinTheCeiling() {
        Backoff backoff = withJitter(ALMOST_ONE);

        for (int retry = 1; retry <= 8; retry++) {
            Duration ceiling = backoff.ceiling(retry);
            assertThat(backoff.delay(retry)).isBetween(ceiling.minusNanos(1), ceiling);
        }
        assertThat(backoff.delay(8)).isBetween(MAX.minusNanos(1), MAX);
    }

    @Test
    void hugeAttemptNumbersStayAtTheCapWithoutOverflowing() {
        Backoff backoff = withJitter(0.5);

        for (int retry : new int[] { 62, 63, 64, 65, 1_000, Integer.MAX_VALUE }) {
            assertThat(backoff.ceiling(retry)).isEqualTo(MAX);
            assertThat(backoff.delay(retry)).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void aCeilingThatWouldOverflowALongIsTheCap() {
        Duration century = Duration.ofDays(36_500);
        Backoff backoff = new Backoff(century, century.multipliedBy(2), () -> 0.5);

        assertThat(backoff.ceiling(2)).isEqualTo(century.multipliedBy(2));
        assertThat(backoff.ceiling(3)).isEqualTo(century.multipliedBy(2));
        assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(century.multipliedBy(2));
    }

    @Test
    void anInitialAboveTheCapIsCappedFromTheFirstRetry() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1), () -> 0.5);

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aZeroInitialNeverWaits() {
        Backoff backoff = new Backoff(Duration.ZERO, MAX, () -> 0.5);

        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ZERO);
        assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aJitterSourceOutOfRangeIsClamped() {
        assertThat(withJitter(-3).delay(1)).isEqualTo(Duration.ZERO);
        assertThat(withJitter(7).delay(1)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void retriesAreNumberedFromOne() {
        assertThatThrownBy(() -> withJitter(0.5).delay(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRandomJitterStaysWithinTheCeiling() {
        Backoff backoff = new Backoff(INITIAL, MAX, Backoff.randomJitter());

        for (int i = 0; i < 1_000; i++) {
            assertThat(backoff.delay(3)).isBetween(Duration.ZERO, Duration.ofMillis(400));
        }
    }
}
