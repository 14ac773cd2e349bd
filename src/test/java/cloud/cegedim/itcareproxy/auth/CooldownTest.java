package cloud.cegedim.itcareproxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class CooldownTest {

    private static final long MS = 1_000_000L;
    private static final double ALMOST_ONE = Math.nextDown(1.0);

    private static Cooldown drawing(double draw) {
        return new Cooldown(Duration.ofMillis(100), Duration.ofSeconds(30), () -> draw);
    }

    @Test
    void theLowestDrawWaitsHalfOfADoublingCeilingUpToHalfTheCap() {
        Cooldown cooldown = drawing(0.0);
        long now = 0;
        long[] expected = { 50, 100, 200, 400, 800, 1600, 3200, 6400, 12_800, 15_000, 15_000 };

        for (long wait : expected) {
            assertThat(cooldown.failed(now)).isEqualTo(wait * MS);
            now += wait * MS;
        }
        assertThat(cooldown.streak()).isEqualTo(11);
    }

    @Test
    void theHighestDrawWaitsTheWholeCeilingAndNeverMore() {
        Cooldown cooldown = drawing(ALMOST_ONE);

        long first = cooldown.failed(0);
        long second = cooldown.failed(first);

        assertThat(first).isEqualTo(100 * MS);
        assertThat(second).isEqualTo(200 * MS);
    }

    @Test
    void coolsUntilTheWaitHasPassedToTheNanosecond() {
        Cooldown cooldown = drawing(0.0);
        long start = 1_000 * MS;

        cooldown.failed(start);

        assertThat(cooldown.coolingAt(start)).isTrue();
        assertThat(cooldown.remainingAt(start + 20 * MS)).isEqualTo(30 * MS);
        assertThat(cooldown.coolingAt(start + 50 * MS - 1)).isTrue();
        assertThat(cooldown.coolingAt(start + 50 * MS)).isFalse();
        assertThat(cooldown.remainingAt(start + 50 * MS)).isZero();
    }

    @Test
    void aSuccessEndsTheRunAndTheNextFailureStartsOver() {
        Cooldown cooldown = drawing(0.0);
        cooldown.failed(0);
        cooldown.failed(50 * MS);

        cooldown.reset();

        assertThat(cooldown.coolingAt(60 * MS)).isFalse();
        assertThat(cooldown.failed(60 * MS)).isEqualTo(50 * MS);
    }

    @Test
    void aQuietTimeOfTwiceTheCapEndsTheRunToo() {
        Cooldown cooldown = drawing(0.0);
        cooldown.failed(0);
        cooldown.failed(50 * MS);

        assertThat(cooldown.failed(50 * MS + 60_000 * MS)).isEqualTo(200 * MS);
        assertThat(cooldown.failed(50 * MS + 120_000 * MS + 1)).isEqualTo(50 * MS);
        assertThat(cooldown.streak()).isEqualTo(1);
    }

    @Test
    void nothingCoolsBeforeTheFirstFailure() {
        Cooldown cooldown = drawing(0.0);

        assertThat(cooldown.coolingAt(Long.MIN_VALUE)).isFalse();
        assertThat(cooldown.remainingAt(0)).isZero();
        assertThat(cooldown.streak()).isZero();
    }
}
