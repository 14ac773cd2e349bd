package cloud.cegedim.itcareproxy.resilience;

import cloud.cegedim.itcareproxy.upstream.Outcome;

/**
 * The one narrow interface through which the request loop and the breakers report what happened, so that counting it
 * (the contract's metrics, an access log) is one implementing class and nothing else re-derives these facts.
 *
 * <p>Implementations are called on event loops and, for breaker transitions, on SmallRye's timer thread: they must be
 * thread-safe, quick, must not block and must not throw. Labels are passed as the closed-vocabulary values of the
 * contract ({@code route} is already templated; {@code breaker} is a breaker key from {@link Breakers#key}).
 */
public interface ResilienceEvents {

    /** Reports nothing: for tests and for wiring before metrics exist. */
    ResilienceEvents NOOP = new ResilienceEvents() {
        @Override
        public void attempt(String route, Outcome outcome, long nanos) {
        }

        @Override
        public void retried(String route, RetryReason reason) {
        }

        @Override
        public void retrySkipped(String route, SkipReason reason) {
        }

        @Override
        public void breakerTransition(String breaker, BreakerState from, BreakerState to) {
        }
    };

    /** A breaker was built for this key (it starts closed); called once per key, before its first call. */
    default void breakerCreated(String breaker) {
    }

    /** One attempt ended with {@code outcome} after {@code nanos} ({@code itcare_proxy_upstream_seconds}). */
    void attempt(String route, Outcome outcome, long nanos);

    /** A retry is about to be made ({@code itcare_proxy_retries_total}). */
    void retried(String route, RetryReason reason);

    /** A retry was possible but not made ({@code itcare_proxy_retries_skipped_total}). */
    void retrySkipped(String route, SkipReason reason);

    /** A breaker changed state ({@code itcare_proxy_circuit_state}, {@code itcare_proxy_circuit_transitions_total}). */
    void breakerTransition(String breaker, BreakerState from, BreakerState to);
}
