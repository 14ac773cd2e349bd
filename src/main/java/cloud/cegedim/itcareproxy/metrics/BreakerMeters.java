package cloud.cegedim.itcareproxy.metrics;

import java.util.concurrent.ConcurrentHashMap;

import cloud.cegedim.itcareproxy.resilience.BreakerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code itcare_proxy_circuit_state} and {@code itcare_proxy_circuit_transitions_total}. A breaker gets its three
 * state gauges (1 for the current state, 0 for the others) and its three transition counters (at 0) the first time
 * it is seen, so that {@code increase()} over a breaker's first opening is right and a dashboard shows a closed
 * breaker as closed rather than as nothing.
 *
 * <p>Transitions arrive on event loops and on SmallRye's timer thread; the current state is one volatile field per
 * breaker, written by whoever reports the transition.
 */
final class BreakerMeters {

    private static final BreakerState[] STATES = BreakerState.values();

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Breaker> breakers = new ConcurrentHashMap<>();

    BreakerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A breaker exists (closed) from now on; a breaker already seen keeps its state. */
    void seen(String breaker) {
        breaker(breaker, BreakerState.CLOSED);
    }

    void transition(String breaker, BreakerState from, BreakerState to) {
        Breaker meters = breaker(breaker, from);
        meters.state = to;
        meters.transitions[to.ordinal()].increment();
    }

    /** The current state of a breaker as the gauges show it, or null if it was never seen. */
    BreakerState state(String breaker) {
        Breaker meters = breakers.get(breaker);
        return meters == null ? null : meters.state;
    }

    private Breaker breaker(String key, BreakerState initial) {
        Breaker meters = breakers.get(key);
        if (meters == null) {
            meters = breakers.computeIfAbsent(key, k -> new Breaker(registry, k, initial));
        }
        return meters;
    }

    private static final class Breaker {
        volatile BreakerState state;
        final Counter[] transitions = new Counter[STATES.length];

        Breaker(MeterRegistry registry, String key, BreakerState initial) {
            this.state = initial;
            for (BreakerState each : STATES) {
                Gauge.builder(Meters.CIRCUIT_STATE, this, breaker -> breaker.state == each ? 1 : 0)
                        .description("1 for the breaker's current state, 0 for the others")
                        .tags("breaker", key, "state", each.label())
                        .strongReference(true)
                        .register(registry);
                transitions[each.ordinal()] = Meters.counter(registry, Meters.CIRCUIT_TRANSITIONS,
                        "Circuit breaker state changes, by the state entered", "breaker", key, "to", each.label());
            }
        }
    }
}
