package cloud.cegedim.itcareproxy.resilience;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import cloud.cegedim.itcareproxy.config.ProxyConfig;
import cloud.cegedim.itcareproxy.config.ProxyConfig.BreakerScope;

/**
 * The retry and circuit-breaker settings of every area, resolved once from configuration. An area named under
 * {@code itcare-proxy.areas."<area>"} gets its overrides merged over the global keys; any other area, including one
 * first seen at run time, gets the global settings. The request path does one map read per lookup and never merges
 * anything.
 */
public final class ResilienceSettings {

    private final BreakerScope scope;
    private final RetrySettings globalRetry;
    private final BreakerSettings globalBreaker;
    private final Map<String, RetrySettings> retryByArea;
    private final Map<String, BreakerSettings> breakerByArea;

    private ResilienceSettings(BreakerScope scope, RetrySettings globalRetry, BreakerSettings globalBreaker,
            Map<String, RetrySettings> retryByArea, Map<String, BreakerSettings> breakerByArea) {
        this.scope = scope;
        this.globalRetry = globalRetry;
        this.globalBreaker = globalBreaker;
        this.retryByArea = Map.copyOf(retryByArea);
        this.breakerByArea = Map.copyOf(breakerByArea);
    }

    /** Resolves the settings of the whole proxy configuration. */
    public static ResilienceSettings from(ProxyConfig config) {
        return from(config.retry(), config.circuitBreaker(), config.areas());
    }

    /**
     * Resolves the settings from the three parts of the configuration that matter here, so that tests can supply
     * them without a whole {@link ProxyConfig}.
     */
    public static ResilienceSettings from(ProxyConfig.RetryKeys retry, ProxyConfig.CircuitBreaker breaker,
            Map<String, ProxyConfig.Area> areas) {
        Map<String, RetrySettings> retryByArea = new HashMap<>();
        Map<String, BreakerSettings> breakerByArea = new HashMap<>();
        areas.forEach((area, overrides) -> {
            retryByArea.put(area, RetrySettings.of(retry, overrides.retry()));
            breakerByArea.put(area, BreakerSettings.of(breaker, overrides.circuitBreaker()));
        });
        return new ResilienceSettings(Objects.requireNonNull(breaker.scope(), "scope"), RetrySettings.of(retry),
                BreakerSettings.of(breaker), retryByArea, breakerByArea);
    }

    /** The retry settings of {@code area}; the global ones for an area without overrides or a {@code null} area. */
    public RetrySettings retry(String area) {
        RetrySettings settings = area == null ? null : retryByArea.get(area);
        return settings != null ? settings : globalRetry;
    }

    /**
     * The breaker settings of {@code area}; the global ones for an area without overrides or a {@code null} area.
     * With {@link BreakerScope#GLOBAL} every area gets the global ones: a single breaker covers all traffic, and
     * {@link Breakers} keeps the settings it was first built with, so letting an area's override leak into it
     * would make its behaviour depend on which request came first.
     */
    public BreakerSettings breaker(String area) {
        if (scope == BreakerScope.GLOBAL) {
            return globalBreaker;
        }
        BreakerSettings settings = area == null ? null : breakerByArea.get(area);
        return settings != null ? settings : globalBreaker;
    }

    /** The global retry settings, without any area override. */
    public RetrySettings globalRetry() {
        return globalRetry;
    }

    /** The global breaker settings, without any area override. */
    public BreakerSettings globalBreaker() {
        return globalBreaker;
    }

    /** What one breaker covers ({@code circuit-breaker.scope}). */
    public BreakerScope scope() {
        return scope;
    }

    /** The areas that have overrides, for start-up logs. */
    public Set<String> overriddenAreas() {
        return retryByArea.keySet();
    }
}
