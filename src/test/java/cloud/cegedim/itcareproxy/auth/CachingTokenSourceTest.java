package cloud.cegedim.itcareproxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.Test;

import io.vertx.core.Future;

/** The cache's decisions on a clock the test moves and an endpoint it answers by hand: no HTTP, no waiting. */
class CachingTokenSourceTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1000 * MS;
    private static final Duration ITCARE_LIFETIME = Duration.ofSeconds(1200);

    private final AtomicLong clock = new AtomicLong(42 * SECOND);
    private final ScriptedEndpoint endpoint = new ScriptedEndpoint();
    private final List<Boolean> refreshes = new ArrayList<>();
    private DoubleSupplier secondsLeft;
    private final TokenEvents events = new TokenEvents() {
        @Override
        public void refreshed(boolean success) {
            refreshes.add(success);
        }

        @Override
        public void expiresIn(DoubleSupplier supplier) {
            secondsLeft = supplier;
        }
    };
    /** The lowest draw: waits of exactly 50, 100, 200 ms... */
    private final CachingTokenSource source = new CachingTokenSource(endpoint, Duration.ofSeconds(60),
            new Cooldown(Duration.ofMillis(100), Duration.ofSeconds(30), () -> 0.0),
            new Cooldown(Duration.ofMillis(100), Duration.ofSeconds(30), () -> 0.0), clock::get, events);

    private void advance(long nanos) {
        clock.addAndGet(nanos);
    }

    private String obtain(String token) {
        Future<String> call = source.token();
        endpoint.grant(token, ITCARE_LIFETIME);
        return call.result();
    }

    @Test
    void aHundredCallsOnAColdCacheShareOneTokenRequest() {
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(source.token());
        }

        assertThat(endpoint.requests()).isEqualTo(1);
        assertThat(calls).noneMatch(Future::isComplete);
        endpoint.grant("t1", ITCARE_LIFETIME);
        assertThat(calls).allMatch(call -> "t1".equals(call.result()));
        assertThat(refreshes).containsExactly(true);
    }

    @Test
    void aValidTokenIsAnsweredAtOnceWithoutARequest() {
        obtain("t1");
        advance(959 * SECOND);

        Future<String> call = source.token();

        assertThat(call.isComplete()).isTrue();
        assertThat(call.result()).isEqualTo("t1");
        assertThat(endpoint.requests()).isEqualTo(1);
    }

    @Test
    void fromTheRefreshPointCallsKeepTheTokenWhileOneRefreshRunsBehindThem() {
        obtain("t1");
        advance(960 * SECOND);

        Future<String> first = source.token();
        Future<String> second = source.token();

        assertThat(first.result()).isEqualTo("t1");
        assertThat(second.result()).isEqualTo("t1");
        assertThat(endpoint.requests()).isEqualTo(2);
        endpoint.grant("t2", ITCARE_LIFETIME);
        assertThat(source.token().result()).isEqualTo("t2");
        assertThat(endpoint.requests()).isEqualTo(2);
    }

    @Test
    void aStaleTokenIsNotHandedOutAndTheCallWaitsForANewOne() {
        obtain("t1");
        advance(1195 * SECOND);

        Future<String> call = source.token();

        assertThat(call.isComplete()).isFalse();
        endpoint.grant("t2", ITCARE_LIFETIME);
        assertThat(call.result()).isEqualTo("t2");
    }

    @Test
    void aFailedRequestFailsItsWaitersThenCallsFailFastUntilTheBackOffHasPassed() {
        Future<String> waiting = source.token();
        endpoint.refuse("the token endpoint answered 503");

        assertThat(waiting.cause()).isInstanceOf(TokenUnavailable.class)
                .hasMessage("the token endpoint answered 503");
        advance(20 * MS);
        Future<String> early = source.token();
        assertThat(early.cause()).isInstanceOf(TokenUnavailable.class)
                .hasMessage("the token endpoint answered 503; next token request in 30 ms");
        assertThat(endpoint.requests()).isEqualTo(1);

        advance(30 * MS);
        Future<String> retried = source.token();
        assertThat(endpoint.requests()).isEqualTo(2);
        endpoint.grant("t1", ITCARE_LIFETIME);
        assertThat(retried.result()).isEqualTo("t1");
        assertThat(refreshes).containsExactly(false, true);
    }

    @Test
    void theBackOffDoublesWithEachFailureInARow() {
        long[] waits = { 50, 100, 200, 400, 800 };
        for (long wait : waits) {
            source.token();
            endpoint.refuse("the token endpoint answered 401 (invalid_client)");
            advance(wait * MS - 1);
            assertThat(source.token().failed()).isTrue();
            advance(1);
        }

        assertThat(endpoint.requests()).isEqualTo(5);
        source.token();
        assertThat(endpoint.requests()).isEqualTo(6);
    }

    @Test
    void aFailedBackgroundRefreshKeepsTheCurrentTokenInUseUntilItIsStale() {
        obtain("t1");
        advance(960 * SECOND);
        assertThat(source.token().result()).isEqualTo("t1");
        endpoint.refuse("the token endpoint answered 503");

        assertThat(source.token().result()).isEqualTo("t1");
        assertThat(endpoint.requests()).isEqualTo(2);
        advance(50 * MS);
        assertThat(source.token().result()).isEqualTo("t1");
        assertThat(endpoint.requests()).isEqualTo(3);
        endpoint.refuse("the token endpoint answered 503");
        advance(235 * SECOND - 50 * MS);

        Future<String> stale = source.token();
        assertThat(stale.isComplete()).isFalse();
        assertThat(endpoint.requests()).isEqualTo(4);
        endpoint.refuse("the token endpoint answered 503");
        assertThat(stale.cause()).hasMessage("the token endpoint answered 503");
    }

    @Test
    void aRejectedTokenIsForgottenAndTheNextCallFetchesANewOne() {
        String rejected = obtain("t1");

        source.rejected(rejected);
        Future<String> next = source.token();

        assertThat(endpoint.requests()).isEqualTo(2);
        endpoint.grant("t2", ITCARE_LIFETIME);
        assertThat(next.result()).isEqualTo("t2");
    }

    @Test
    void aLateRejectionOfAnOldTokenKeepsTheNewOne() {
        String old = obtain("t1");
        source.rejected(old);
        obtain("t2");
        advance(SECOND);

        source.rejected(old);

        assertThat(source.token().result()).isEqualTo("t2");
        assertThat(endpoint.requests()).isEqualTo(2);
    }

    @Test
    void rejectionsInQuickSuccessionAreSpacedByTheBackOff() {
        source.rejected(obtain("t1"));
        String second = obtain("t2");

        advance(49 * MS);
        source.rejected(second);
        assertThat(source.token().result()).isEqualTo("t2");

        advance(MS);
        source.rejected(second);
        assertThat(source.token().isComplete()).isFalse();
        assertThat(endpoint.requests()).isEqualTo(3);
    }

    @Test
    void theGaugeReadsTheSecondsUntilExpiryAndNaNWithoutAToken() {
        assertThat(secondsLeft.getAsDouble()).isNaN();
        String token = obtain("t1");

        advance(200 * SECOND);
        assertThat(secondsLeft.getAsDouble()).isEqualTo(1000.0);
        source.rejected(token);
        assertThat(secondsLeft.getAsDouble()).isNaN();
    }

    @Test
    void anUnexpectedFailureIsReducedToItsTypeSoThatNothingItSaysLeaks() {
        Future<String> call = source.token();

        endpoint.crash(new IllegalStateException("body {\"access_token\":\"leaked\"}"));

        assertThat(call.cause()).isInstanceOf(TokenUnavailable.class).hasMessage("unexpected IllegalStateException");
        assertThat(refreshes).containsExactly(false);
    }

    @Test
    void itIsEnabledAndTheDisabledOneIsNot() {
        PassthroughTokenSource passthrough = new PassthroughTokenSource();
        passthrough.rejected("anything");

        assertThat(source.enabled()).isTrue();
        assertThat(passthrough.enabled()).isFalse();
        assertThat(passthrough.token().cause()).isInstanceOf(TokenUnavailable.class)
                .hasMessage("the proxy holds no ITCare credentials (itcare-proxy.auth.mode is passthrough)");
    }
}
