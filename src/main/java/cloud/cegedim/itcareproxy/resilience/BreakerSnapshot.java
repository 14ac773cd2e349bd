package cloud.cegedim.itcareproxy.resilience;

/**
 * One breaker as {@code GET :9000/q/circuit-breakers} shows it.
 *
 * @param name                 the breaker key: the area ({@code compute}), the route, or {@code global}
 * @param state                its current state
 * @param windowCalls          calls recorded in the rolling window (at most {@code windowSize}); the window restarts
 *                             empty when the breaker closes or half-opens, as SmallRye's does; while open it keeps the
 *                             calls that opened it
 * @param windowFailures       of those, the ones counted as failures
 * @param windowSize           {@code circuit-breaker.request-volume}: the window's length, and the number of calls
 *                             needed before the breaker can open
 * @param secondsUntilHalfOpen whole seconds (rounded up, at least 1) until probes are let through; 0 unless open
 */
public record BreakerSnapshot(String name, BreakerState state, int windowCalls, int windowFailures, int windowSize,
        long secondsUntilHalfOpen) {
}
