package cloud.cegedim.itcareproxy.resilience;

import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * The state of one circuit breaker, with the labels of the contract's metrics {@code itcare_proxy_circuit_state} and
 * {@code itcare_proxy_circuit_transitions_total}. Ours rather than SmallRye's, so that metrics and the
 * {@code /q/circuit-breakers} endpoint do not depend on the library's enum.
 */
public enum BreakerState {
    /** Calls go through; failures are counted in the rolling window. */
    CLOSED("closed"),
    /** Calls are refused with 503 CIRCUIT_OPEN without reaching the upstream, until the delay has passed. */
    OPEN("open"),
    /** A few probe calls go through; enough successes close the breaker, a failure opens it again. */
    HALF_OPEN("half_open");

    private final String label;

    BreakerState(String label) {
        this.label = label;
    }

    /** The metric label value. */
    public String label() {
        return label;
    }

    static BreakerState of(CircuitBreakerState state) {
        return switch (state) {
            case CLOSED -> CLOSED;
            case OPEN -> OPEN;
            case HALF_OPEN -> HALF_OPEN;
        };
    }
}
