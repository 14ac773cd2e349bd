package cloud.cegedim.itcareproxy.resilience;

import java.time.Duration;
import java.util.Objects;

import cloud.cegedim.itcareproxy.config.ProxyConfig;

/**
 * The circuit-breaker keys of one area, resolved once at start-up: the area's overrides where it has some, the global
 * {@code itcare-proxy.circuit-breaker.*} keys for the rest. Immutable; {@link Breakers} builds one guard from it per
 * breaker key.
 *
 * @param enabled          circuit breaking at all ({@code circuit-breaker.enabled})
 * @param statuses         upstream statuses counted as failures, besides connect errors, resets and timeouts
 *                         ({@code circuit-breaker.statuses})
 * @param requestVolume    size of the rolling window of calls, at least 1 ({@code circuit-breaker.request-volume})
 * @param failureRatio     share of failures in a full window that opens the breaker, 0 to 1
 *                         ({@code circuit-breaker.failure-ratio})
 * @param delay            open time before probes are let through ({@code circuit-breaker.delay})
 * @param successThreshold successful probes that close it again, at least 1 ({@code circuit-breaker.success-threshold})
 */
public record BreakerSettings(boolean enabled, StatusSet statuses, int requestVolume, double failureRatio,
        Duration delay, int successThreshold) {

    public BreakerSettings {
        Objects.requireNonNull(statuses, "statuses");
        Objects.requireNonNull(delay, "delay");
        if (requestVolume < 1) {
            throw new IllegalArgumentException("circuit-breaker.request-volume must be at least 1: " + requestVolume);
        }
        if (!(failureRatio >= 0 && failureRatio <= 1)) {
            throw new IllegalArgumentException("circuit-breaker.failure-ratio must be within 0..1: " + failureRatio);
        }
        if (successThreshold < 1) {
            throw new IllegalArgumentException(
                    "circuit-breaker.success-threshold must be at least 1: " + successThreshold);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("circuit-breaker.delay must not be negative: " + delay);
        }
    }

    /** The global keys alone: what an area without overrides gets. */
    public static BreakerSettings of(ProxyConfig.BreakerKeys global) {
        return new BreakerSettings(global.enabled(), StatusSet.of(global.statuses()), global.requestVolume(),
                global.failureRatio(), global.delay(), global.successThreshold());
    }

    /** The area's overrides, each absent key falling back to the global one. */
    public static BreakerSettings of(ProxyConfig.BreakerKeys global, ProxyConfig.Area.AreaBreaker area) {
        BreakerSettings base = of(global);
        if (area == null) {
            return base;
        }
        return new BreakerSettings(
                area.enabled().orElse(base.enabled),
                area.statuses().map(StatusSet::of).orElse(base.statuses),
                area.requestVolume().orElse(base.requestVolume),
                area.failureRatio().orElse(base.failureRatio),
                area.delay().orElse(base.delay),
                area.successThreshold().orElse(base.successThreshold));
    }
}
