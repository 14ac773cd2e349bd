package cloud.cegedim.itcareproxy.resilience;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import cloud.cegedim.itcareproxy.config.ProxyConfig.BreakerScope;
import cloud.cegedim.itcareproxy.upstream.Outcome;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The circuit breakers, one per breaker key ({@link #key}): {@code compute}, {@code databases}, ... with the default
 * {@code circuit-breaker.scope=area}, so that one area's outage does not stop traffic to the others. Each is a SmallRye
 * Fault Tolerance guard built on first use and kept for the life of this object; the request path does one
 * {@link ConcurrentHashMap} read per call.
 *
 * <p>SmallRye guards are built through its CDI integration, so instances must be created where CDI is running (in
 * the Quarkus application or a {@code @QuarkusTest}). This is a plain object: the application creates one and shares
 * it; nothing here is static except the names below.
 *
 * <h2>Names</h2>
 * SmallRye registers each named breaker with {@link CircuitBreakerMaintenance} and refuses a second breaker with the
 * same name in the same application, on that breaker's first use. A breaker is named {@code itcare-proxy-<key>}; when a
 * second {@code Breakers} in the same application (tests build several) needs a name already taken, it appends
 * {@code #<n>}, {@code n} numbering the {@code Breakers} instances. The names are claimed in a static set, which lives
 * exactly as long as SmallRye's registry: both belong to the application's class loader.
 */
public final class Breakers {

    /** Prefix of the SmallRye description and name of every breaker. */
    static final String DESCRIPTION_PREFIX = "itcare-proxy-";
    /** The one key when {@code circuit-breaker.scope=global}. */
    public static final String GLOBAL_KEY = "global";

    private static final Set<String> CLAIMED_NAMES = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ConcurrentMap<String, Breaker> breakers = new ConcurrentHashMap<>();
    private final ResilienceEvents events;
    private final LongSupplier nanoTime;
    private final int instance = INSTANCES.incrementAndGet();

    /** Breakers that report transitions to {@code events} and time the open state with {@link System#nanoTime()}. */
    public Breakers(ResilienceEvents events) {
        this(events, System::nanoTime);
    }

    /**
     * @param nanoTime times the open state for {@link #secondsUntilHalfOpen}; the half-open transition itself is timed
     *                 by SmallRye on the system clock, which cannot be replaced
     */
    public Breakers(ResilienceEvents events, LongSupplier nanoTime) {
        this.events = Objects.requireNonNull(events, "events");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * The breaker key of a request: {@code global}, the area, or the templated route, after
     * {@code circuit-breaker.scope}.
     */
    public static String key(BreakerScope scope, String area, String route) {
        return switch (scope) {
            case GLOBAL -> GLOBAL_KEY;
            case AREA -> area;
            case ROUTE -> route;
        };
    }

    /**
     * Runs one attempt through the breaker of {@code key}.
     *
     * <p>The outcome that {@code attempt} produces reaches the caller as the same object, whether or not it counted as a
     * failure. When the breaker is open (or half-open with all its probes taken), the result is
     * {@code Outcome.Rejected(CIRCUIT_OPEN, ...)} and {@code attempt} is not called. With the breaker disabled,
     * {@code attempt} is called directly.
     *
     * <p>Nothing cancels an attempt once called: each attempt must bound itself ({@code upstream.try-timeout}) and
     * release its connection, and its outcome, however late, counts in the window.
     *
     * @param settings the settings of the key's area; a breaker is built with the settings of its first call and keeps
     *                 them ({@link ResilienceSettings} gives every call of one key the same settings)
     * @param attempt  sends one attempt and never fails: every failure is an {@link Outcome}
     */
    public CompletionStage<Outcome> call(String key, BreakerSettings settings,
            Supplier<CompletionStage<Outcome>> attempt) {
        if (!settings.enabled()) {
            return attempt.get();
        }
        Breaker breaker = breakers.get(key);
        if (breaker == null) {
            breaker = breakers.computeIfAbsent(key, k -> {
                Breaker created = new Breaker(k, claimName(k), settings, events, nanoTime);
                events.breakerCreated(k);
                return created;
            });
        }
        return breaker.call(attempt);
    }

    /**
     * Whole seconds until the breaker of {@code key} lets probes through, for the {@code Retry-After} of a
     * {@code CIRCUIT_OPEN} answer: at least 1 whenever it is not closed (half-open with every probe taken means "very
     * soon", and {@code Retry-After: 0} invites an immediate storm); 0 when closed or never used.
     */
    public long secondsUntilHalfOpen(String key) {
        Breaker breaker = breakers.get(key);
        if (breaker == null || breaker.state() == BreakerState.CLOSED) {
            return 0;
        }
        return Math.max(1, breaker.secondsUntilHalfOpen());
    }

    /** Every breaker built so far, by key, for {@code GET :9000/q/circuit-breakers}. */
    public List<BreakerSnapshot> snapshot() {
        List<BreakerSnapshot> result = new ArrayList<>(breakers.size());
        for (Breaker breaker : breakers.values()) {
            result.add(breaker.snapshot());
        }
        result.sort(Comparator.comparing(BreakerSnapshot::name));
        return result;
    }

    /**
     * Closes every breaker of this instance and empties its window, for tests. Each is reset by name rather than with
     * {@link CircuitBreakerMaintenance#resetAll()}, which would also close the breakers of other instances behind
     * their backs and leave their own view of the state wrong.
     */
    public void resetAll() {
        if (breakers.isEmpty()) {
            return;
        }
        CircuitBreakerMaintenance maintenance = CircuitBreakerMaintenance.get();
        for (Breaker breaker : breakers.values()) {
            breaker.reset(maintenance);
        }
    }

    private String claimName(String key) {
        String name = DESCRIPTION_PREFIX + key;
        if (CLAIMED_NAMES.add(name)) {
            return name;
        }
        String suffixed = name + "#" + instance;
        CLAIMED_NAMES.add(suffixed);
        return suffixed;
    }
}
