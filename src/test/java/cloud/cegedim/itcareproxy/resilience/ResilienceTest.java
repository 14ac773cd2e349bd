package cloud.cegedim.itcareproxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.config.ProxyConfig.BreakerScope;
import cloud.cegedim.itcareproxy.upstream.Outcome;

/** The wiring of settings, policies and keys; no breaker is called, so no CDI is needed. */
class ResilienceTest {

    private static final Instant NOW = Instant.parse("2025-11-25T16:00:00Z");
    private static final Outcome.Answered UNAVAILABLE = new Outcome.Answered(503, null, null);

    private static final TestConfigs.Area COMPUTE_WITHOUT_RETRIES = new TestConfigs.Area(
            new TestConfigs.AreaRetry(Optional.of(false), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
            TestConfigs.noBreakerOverrides());
    private static final TestConfigs.Area DATABASES_WITH_LONGER_DELAY = new TestConfigs.Area(
            TestConfigs.noRetryOverrides(),
            new TestConfigs.AreaBreaker(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(Duration.ofSeconds(30)), Optional.empty()));

    private final AtomicLong clock = new AtomicLong();

    private Resilience resilience(BreakerScope scope, int minPerSecond) {
        TestConfigs.Breaker breaker = new TestConfigs.Breaker(true, Set.of(500, 503), 20, 0.5, Duration.ofSeconds(5),
                2, scope);
        ResilienceSettings settings = ResilienceSettings.from(TestConfigs.defaultRetry(), breaker,
                Map.of("compute", COMPUTE_WITHOUT_RETRIES, "databases", DATABASES_WITH_LONGER_DELAY));
        return new Resilience(settings, new RetryBudget(0, minPerSecond, clock::get), () -> 0.5,
                new Breakers(ResilienceEvents.NOOP), ResilienceEvents.NOOP);
    }

    private static Decision firstAttempt(RetryPolicy policy) {
        return policy.decide("GET", UNAVAILABLE, 1, true, false, Duration.ofSeconds(30), NOW);
    }

    @Test
    void eachAreaGetsItsOwnPolicyBuiltOnce() {
        Resilience resilience = resilience(BreakerScope.AREA, 10);

        assertThat(firstAttempt(resilience.retryPolicy("compute"))).isEqualTo(Decision.NOT_RETRYABLE);
        assertThat(firstAttempt(resilience.retryPolicy("databases")))
                .isEqualTo(new Decision.Retry(Duration.ofMillis(50), RetryReason.status(503)));
        assertThat(resilience.retryPolicy("network")).isSameAs(resilience.retryPolicy("storage"))
                .isSameAs(resilience.retryPolicy(null));
        assertThat(resilience.retryPolicy("compute")).isSameAs(resilience.retryPolicy("compute"));
    }

    @Test
    void everyAreaDrawsOnTheSameBudget() {
        Resilience resilience = resilience(BreakerScope.AREA, 1);
        for (int i = 0; i < 10; i++) {
            assertThat(firstAttempt(resilience.retryPolicy("network"))).isInstanceOf(Decision.Retry.class);
        }

        assertThat(firstAttempt(resilience.retryPolicy("databases"))).isEqualTo(Decision.stop(SkipReason.BUDGET));
    }

    @Test
    void theBreakerKeyAndSettingsFollowTheScope() {
        Resilience byArea = resilience(BreakerScope.AREA, 10);
        Resilience byRoute = resilience(BreakerScope.ROUTE, 10);
        Resilience global = resilience(BreakerScope.GLOBAL, 10);

        assertThat(byArea.breakerKey("databases", "/databases/{id}")).isEqualTo("databases");
        assertThat(byRoute.breakerKey("databases", "/databases/{id}")).isEqualTo("/databases/{id}");
        assertThat(global.breakerKey("databases", "/databases/{id}")).isEqualTo("global");
        assertThat(byArea.breakerSettings("databases").delay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(byRoute.breakerSettings("databases").delay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(global.breakerSettings("databases").delay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(byArea.breakerSettings("compute").delay()).isEqualTo(Duration.ofSeconds(5));
    }
}
