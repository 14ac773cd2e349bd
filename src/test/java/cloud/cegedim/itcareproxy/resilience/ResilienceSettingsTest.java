package cloud.cegedim.itcareproxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.config.ProxyConfig.BreakerScope;

class ResilienceSettingsTest {

    private static final TestConfigs.Area COMPUTE_WITHOUT_RETRIES = new TestConfigs.Area(
            new TestConfigs.AreaRetry(Optional.of(false), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
            TestConfigs.noBreakerOverrides());

    private static final TestConfigs.Area DATABASES_WITH_LONGER_DELAY = new TestConfigs.Area(
            new TestConfigs.AreaRetry(Optional.empty(), Optional.of(5), Optional.of(Set.of(502)),
                    Optional.of(Set.of("get", " Post ")), Optional.of(Duration.ofMillis(50)), Optional.empty(),
                    Optional.empty(), Optional.of(TestConfigs.bytes(4096))),
            new TestConfigs.AreaBreaker(Optional.empty(), Optional.empty(), Optional.of(10), Optional.empty(),
                    Optional.of(Duration.ofSeconds(30)), Optional.empty()));

    private final ResilienceSettings settings = ResilienceSettings.from(TestConfigs.defaultRetry(),
            TestConfigs.defaultBreaker(),
            Map.of("compute", COMPUTE_WITHOUT_RETRIES, "databases", DATABASES_WITH_LONGER_DELAY));

    @Test
    void anAreaWithoutOverridesGetsTheGlobalKeys() {
        RetrySettings retry = settings.retry("network");

        assertThat(retry).isSameAs(settings.globalRetry());
        assertThat(retry.enabled()).isTrue();
        assertThat(retry.maxAttempts()).isEqualTo(3);
        assertThat(retry.statuses().toSortedSet()).containsExactly(500, 503);
        assertThat(retry.methods()).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS", "PUT", "DELETE");
        assertThat(retry.backoffInitial()).isEqualTo(Duration.ofMillis(100));
        assertThat(retry.backoffMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(retry.retryAfterMax()).isEqualTo(Duration.ofSeconds(10));
        assertThat(retry.replayBufferBytes()).isEqualTo(1024 * 1024);
        assertThat(settings.breaker("network")).isEqualTo(new BreakerSettings(true, StatusSet.of(500, 503), 20, 0.5,
                Duration.ofSeconds(5), 2));
    }

    @Test
    void aNullAreaGetsTheGlobalKeys() {
        assertThat(settings.retry(null)).isSameAs(settings.globalRetry());
        assertThat(settings.breaker(null)).isSameAs(settings.globalBreaker());
    }

    @Test
    void anOverrideReplacesOnlyTheKeysItNames() {
        RetrySettings compute = settings.retry("compute");

        assertThat(compute.enabled()).isFalse();
        assertThat(compute).isEqualTo(new RetrySettings(false, 3, StatusSet.of(500, 503),
                Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE"), Duration.ofMillis(100), Duration.ofSeconds(2),
                Duration.ofSeconds(10), 1024 * 1024));
        assertThat(settings.breaker("compute")).isEqualTo(settings.globalBreaker());
    }

    @Test
    void everyOverriddenKeyIsTakenFromTheArea() {
        RetrySettings databases = settings.retry("databases");

        assertThat(databases).isEqualTo(new RetrySettings(true, 5, StatusSet.of(502), Set.of("GET", "POST"),
                Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(10), 4096));
        assertThat(settings.breaker("databases")).isEqualTo(new BreakerSettings(true, StatusSet.of(500, 503), 10,
                0.5, Duration.ofSeconds(30), 2));
    }

    @Test
    void methodsAreUpperCasedOnceAtResolution() {
        assertThat(settings.retry("databases").methods()).containsExactlyInAnyOrder("GET", "POST");
    }

    @Test
    void aGlobalScopeGivesEveryAreaTheGlobalBreakerSettings() {
        TestConfigs.Breaker global = new TestConfigs.Breaker(true, Set.of(500, 503), 20, 0.5, Duration.ofSeconds(5),
                2, BreakerScope.GLOBAL);
        ResilienceSettings globalScope = ResilienceSettings.from(TestConfigs.defaultRetry(), global,
                Map.of("databases", DATABASES_WITH_LONGER_DELAY));

        assertThat(globalScope.scope()).isEqualTo(BreakerScope.GLOBAL);
        assertThat(globalScope.breaker("databases")).isSameAs(globalScope.globalBreaker());
        assertThat(globalScope.retry("databases").maxAttempts()).isEqualTo(5);
    }

    @Test
    void statusSetsContainExactlyTheConfiguredCodes() {
        StatusSet set = StatusSet.of(List.of(500, 503));

        assertThat(set.contains(500)).isTrue();
        assertThat(set.contains(503)).isTrue();
        assertThat(set.contains(502)).isFalse();
        assertThat(set.contains(-1)).isFalse();
        assertThat(set.contains(99)).isFalse();
        assertThat(set.contains(600)).isFalse();
        assertThat(set.contains(Integer.MAX_VALUE)).isFalse();
        assertThat(StatusSet.none().contains(500)).isFalse();
    }

    @Test
    void aStatusThatHttpCannotProduceIsRefused() {
        assertThatThrownBy(() -> StatusSet.of(700)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("700");
        assertThatThrownBy(() -> StatusSet.of(99)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void impossibleBreakerSettingsAreRefused() {
        assertThatThrownBy(() -> new BreakerSettings(true, StatusSet.none(), 0, 0.5, Duration.ZERO, 1))
                .hasMessageContaining("request-volume");
        assertThatThrownBy(() -> new BreakerSettings(true, StatusSet.none(), 1, 1.5, Duration.ZERO, 1))
                .hasMessageContaining("failure-ratio");
        assertThatThrownBy(() -> new BreakerSettings(true, StatusSet.none(), 1, 0.5, Duration.ZERO, 0))
                .hasMessageContaining("success-threshold");
    }
}
