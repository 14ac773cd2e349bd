package cloud.cegedim.itcareproxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class CachedTokenTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long START = 7 * SECOND;
    private static final Duration DEFAULT_MARGIN = Duration.ofSeconds(60);

    @Test
    void anItcareTokenOf1200SecondsIsRefreshedAfter960AndHandedOutUntil1195() {
        CachedToken token = CachedToken.of("t", START, Duration.ofSeconds(1200), DEFAULT_MARGIN);

        assertThat(token.refreshAt()).isEqualTo(START + 960 * SECOND);
        assertThat(token.staleAt()).isEqualTo(START + 1195 * SECOND);
        assertThat(token.expiresAt()).isEqualTo(START + 1200 * SECOND);
    }

    @Test
    void aTwoSecondTokenIsRefreshedHalfWayAndHandedOutUntilAQuarterSecondIsLeft() {
        CachedToken token = CachedToken.of("t", START, Duration.ofSeconds(2), DEFAULT_MARGIN);

        assertThat(token.refreshAt()).isEqualTo(START + SECOND);
        assertThat(token.staleAt()).isEqualTo(START + 1_750_000_000L);
        assertThat(token.expiresAt()).isEqualTo(START + 2 * SECOND);
    }

    @Test
    void theConfiguredMarginWinsWhenItIsMoreThanAFifthOfTheLife() {
        CachedToken token = CachedToken.of("t", START, Duration.ofSeconds(300), Duration.ofSeconds(90));

        assertThat(token.refreshAt()).isEqualTo(START + 210 * SECOND);
        assertThat(token.staleAt()).isEqualTo(START + 295 * SECOND);
    }

    @Test
    void aMarginLongerThanHalfTheLifeIsCutToHalf() {
        CachedToken token = CachedToken.of("t", START, Duration.ofSeconds(1200), Duration.ofMinutes(15));

        assertThat(token.refreshAt()).isEqualTo(START + 600 * SECOND);
        assertThat(token.staleAt()).isEqualTo(START + 1195 * SECOND);
    }

    @Test
    void usableUntilStaleAndDueForRefreshFromRefreshAt() {
        CachedToken token = CachedToken.of("t", START, Duration.ofSeconds(1200), DEFAULT_MARGIN);

        assertThat(token.refreshDueAt(token.refreshAt() - 1)).isFalse();
        assertThat(token.refreshDueAt(token.refreshAt())).isTrue();
        assertThat(token.usableAt(token.staleAt() - 1)).isTrue();
        assertThat(token.usableAt(token.staleAt())).isFalse();
    }

    @Test
    void keepsCountingAcrossTheWrapOfTheNanosecondClock() {
        long nearTheEnd = Long.MAX_VALUE - 100 * SECOND;
        CachedToken token = CachedToken.of("t", nearTheEnd, Duration.ofSeconds(1200), DEFAULT_MARGIN);
        long afterTheWrap = nearTheEnd + 1000 * SECOND;

        assertThat(afterTheWrap).isNegative();
        assertThat(token.usableAt(afterTheWrap)).isTrue();
        assertThat(token.refreshDueAt(afterTheWrap)).isTrue();
        assertThat(token.usableAt(nearTheEnd + 1195 * SECOND)).isFalse();
    }

    @Test
    void countsTheSecondsLeftUntilExpiryAndNeverBelowZero() {
        CachedToken token = CachedToken.of("t", START, Duration.ofSeconds(1200), DEFAULT_MARGIN);

        assertThat(token.secondsLeftAt(START + 200 * SECOND)).isEqualTo(1000.0);
        assertThat(token.secondsLeftAt(START + 1199_500_000_000L)).isEqualTo(0.5);
        assertThat(token.secondsLeftAt(START + 1300 * SECOND)).isEqualTo(0.0);
    }

    @Test
    void itsReadyFutureIsCompleteAndItsTextHidesTheToken() {
        CachedToken token = CachedToken.of("eyJ-secret-token", START, Duration.ofSeconds(1200), DEFAULT_MARGIN);

        assertThat(token.ready().isComplete()).isTrue();
        assertThat(token.ready().result()).isEqualTo("eyJ-secret-token");
        assertThat(token).hasToString("CachedToken[value=***]");
    }
}
