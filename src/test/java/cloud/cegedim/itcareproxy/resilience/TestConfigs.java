package cloud.cegedim.itcareproxy.resilience;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import cloud.cegedim.itcareproxy.config.ProxyConfig;
import io.quarkus.runtime.configuration.MemorySize;

/**
 * The configuration interfaces as plain records, holding the contract's defaults, so that settings can be resolved in
 * plain unit tests without starting Quarkus.
 */
final class TestConfigs {

    private TestConfigs() {
    }

    record Backoff(Duration initial, Duration max) implements ProxyConfig.RetryKeys.Backoff {
    }

    record RetryAfter(Duration max) implements ProxyConfig.RetryKeys.RetryAfter {
    }

    record Budget(double ratio, int minPerSecond) implements ProxyConfig.Retry.Budget {
    }

    record Retry(boolean enabled, int maxAttempts, Set<Integer> statuses, Set<String> methods,
            ProxyConfig.RetryKeys.Backoff backoff, ProxyConfig.RetryKeys.RetryAfter retryAfter,
            MemorySize replayBuffer, ProxyConfig.Retry.Budget budget) implements ProxyConfig.Retry {
    }

    record Breaker(boolean enabled, Set<Integer> statuses, int requestVolume, double failureRatio, Duration delay,
            int successThreshold, ProxyConfig.BreakerScope scope) implements ProxyConfig.CircuitBreaker {
    }

    record AreaRetry(Optional<Boolean> enabled, Optional<Integer> maxAttempts, Optional<Set<Integer>> statuses,
            Optional<Set<String>> methods, Optional<Duration> backoffInitial, Optional<Duration> backoffMax,
            Optional<Duration> retryAfterMax, Optional<MemorySize> replayBuffer)
            implements ProxyConfig.Area.AreaRetry {
    }

    record AreaBreaker(Optional<Boolean> enabled, Optional<Set<Integer>> statuses, Optional<Integer> requestVolume,
            Optional<Double> failureRatio, Optional<Duration> delay, Optional<Integer> successThreshold)
            implements ProxyConfig.Area.AreaBreaker {
    }

    record Area(ProxyConfig.Area.AreaRetry retry, ProxyConfig.Area.AreaBreaker circuitBreaker)
            implements ProxyConfig.Area {
    }

    static MemorySize bytes(long n) {
        return new MemorySize(BigInteger.valueOf(n));
    }

    /** {@code itcare-proxy.retry.*} with the contract's defaults. */
    static Retry defaultRetry() {
        return new Retry(true, 3, Set.of(500, 503), Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE"),
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2)), new RetryAfter(Duration.ofSeconds(10)),
                bytes(1024 * 1024), new Budget(0.2, 10));
    }

    /** {@code itcare-proxy.circuit-breaker.*} with the contract's defaults. */
    static Breaker defaultBreaker() {
        return new Breaker(true, Set.of(500, 503), 20, 0.5, Duration.ofSeconds(5), 2, ProxyConfig.BreakerScope.AREA);
    }

    static AreaRetry noRetryOverrides() {
        return new AreaRetry(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    static AreaBreaker noBreakerOverrides() {
        return new AreaBreaker(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }
}
