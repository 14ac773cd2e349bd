package cloud.cegedim.itcareproxy.resilience;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import cloud.cegedim.itcareproxy.config.ProxyConfig;

/**
 * The retry keys of one area, resolved once at start-up: the area's overrides where it has some, the global
 * {@code itcare-proxy.retry.*} keys for the rest. Immutable, so every event loop reads the same instance without
 * synchronisation.
 *
 * @param enabled           retries at all ({@code retry.enabled})
 * @param maxAttempts       attempts in all, the first included, at least 1 ({@code retry.max-attempts})
 * @param statuses          upstream statuses that may be retried ({@code retry.statuses})
 * @param methods           methods retried on those statuses, resets and try timeouts, upper-case
 *                          ({@code retry.methods}); HTTP methods are case-sensitive, so a request method is compared
 *                          as it arrived and {@code get} is not {@code GET}
 * @param backoffInitial    base of the full-jitter exponential back-off ({@code retry.backoff.initial})
 * @param backoffMax        cap of the back-off ({@code retry.backoff.max})
 * @param retryAfterMax     a longer upstream {@code Retry-After} is not waited for ({@code retry.retry-after.max})
 * @param replayBufferBytes bodies up to this many bytes are kept for a replay ({@code retry.replay-buffer})
 */
public record RetrySettings(boolean enabled, int maxAttempts, StatusSet statuses, Set<String> methods,
        Duration backoffInitial, Duration backoffMax, Duration retryAfterMax, long replayBufferBytes) {

    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry.max-attempts must be at least 1: " + maxAttempts);
        }
        Objects.requireNonNull(statuses, "statuses");
        methods = methods.stream().map(m -> m.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        Objects.requireNonNull(backoffInitial, "backoffInitial");
        Objects.requireNonNull(backoffMax, "backoffMax");
        Objects.requireNonNull(retryAfterMax, "retryAfterMax");
    }

    /** The global keys alone: what an area without overrides gets. */
    public static RetrySettings of(ProxyConfig.RetryKeys global) {
        return new RetrySettings(global.enabled(), global.maxAttempts(), StatusSet.of(global.statuses()),
                global.methods(), global.backoff().initial(), global.backoff().max(), global.retryAfter().max(),
                global.replayBuffer().asLongValue());
    }

    /** The area's overrides, each absent key falling back to the global one. */
    public static RetrySettings of(ProxyConfig.RetryKeys global, ProxyConfig.Area.AreaRetry area) {
        RetrySettings base = of(global);
        if (area == null) {
            return base;
        }
        return new RetrySettings(
                area.enabled().orElse(base.enabled),
                area.maxAttempts().orElse(base.maxAttempts),
                area.statuses().map(StatusSet::of).orElse(base.statuses),
                area.methods().orElse(base.methods),
                area.backoffInitial().orElse(base.backoffInitial),
                area.backoffMax().orElse(base.backoffMax),
                area.retryAfterMax().orElse(base.retryAfterMax),
                area.replayBuffer().map(size -> size.asLongValue()).orElse(base.replayBufferBytes));
    }
}
