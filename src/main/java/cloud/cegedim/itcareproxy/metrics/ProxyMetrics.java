package cloud.cegedim.itcareproxy.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import cloud.cegedim.itcareproxy.auth.TokenEvents;
import cloud.cegedim.itcareproxy.resilience.BreakerState;
import cloud.cegedim.itcareproxy.resilience.ResilienceEvents;
import cloud.cegedim.itcareproxy.resilience.RetryReason;
import cloud.cegedim.itcareproxy.resilience.SkipReason;
import cloud.cegedim.itcareproxy.upstream.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one metrics recorder: the contract's {@code itcare_proxy_*} meters, fed by the request loop and the breakers
 * ({@link ResilienceEvents}, which this bean replaces the silent default of) and by the end of every exchange
 * ({@link ExchangeObserver}).
 *
 * <p>Per request it does one {@link ConcurrentHashMap} read for the route's {@link RouteMeters}, array reads for the
 * meters and their increments: no registry look-up, no lock, no string built. Label values are bounded: routes by
 * {@link RouteTemplates} ({@code metrics.max-routes}), methods to the standard ones and {@code other}, statuses to
 * 100..599, {@code 0} and {@code other}, error codes by {@link ErrorCodes}.
 */
@Singleton
public class ProxyMetrics implements ResilienceEvents, ExchangeObserver, TokenEvents {

    private static final String PROXY_ORIGIN = "proxy";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, RouteMeters> routes = new ConcurrentHashMap<>();
    private final ErrorCodes errorCodes = new ErrorCodes();
    private final BreakerMeters breakers;
    private final AtomicReference<Counter[]> tokenRefreshes = new AtomicReference<>();
    private final AtomicReference<DoubleSupplier> tokenExpiry = new AtomicReference<>();
    private final AtomicBoolean tokenExpiryRegistered = new AtomicBoolean();

    @Inject
    public ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.breakers = new BreakerMeters(registry);
    }

    @Override
    public void completed(Completed exchange) {
        RouteMeters meters = route(exchange.route());
        int statusSlot = Meters.statusSlot(exchange.status());
        meters.request(Meters.methodIndex(exchange.method()), statusSlot, exchange.totalNanos());
        String errorCode = exchange.errorCode();
        if (errorCode != null) {
            meters.error(statusSlot, errorCodes.label(errorCode), PROXY_ORIGIN.equals(exchange.origin()));
        }
    }

    /** One attempt; a {@link Outcome.Rejected} one records nothing, since no upstream attempt happened. */
    @Override
    public void attempt(String route, Outcome outcome, long nanos) {
        int slot = outcomeSlot(outcome);
        if (slot >= 0) {
            route(route).attempt(slot, nanos);
        }
    }

    @Override
    public void retried(String route, RetryReason reason) {
        route(route).retried(reason);
    }

    @Override
    public void retrySkipped(String route, SkipReason reason) {
        route(route).skipped(reason);
    }

    @Override
    public void breakerTransition(String breaker, BreakerState from, BreakerState to) {
        breakers.transition(breaker, from, to);
    }

    /** A breaker was built: its state gauges appear at once, closed = 1, instead of at its first transition. */
    @Override
    public void breakerCreated(String breaker) {
        breakers.seen(breaker);
    }

    @Override
    public void refreshed(boolean success) {
        tokenRefreshed(success);
    }

    @Override
    public void expiresIn(DoubleSupplier secondsLeft) {
        tokenExpiry(secondsLeft);
    }

    /** One client-credentials token fetch ({@code itcare_proxy_token_refreshes_total}, outcome success or failure). */
    public void tokenRefreshed(boolean success) {
        Counter[] counters = tokenRefreshes.get();
        if (counters == null) {
            // Both outcomes appear with the first fetch, so that a failure ratio has a denominator from the start.
            tokenRefreshes.compareAndSet(null, new Counter[] { tokenCounter("success"), tokenCounter("failure") });
            counters = tokenRefreshes.get();
        }
        counters[success ? 0 : 1].increment();
    }

    /**
     * Publishes {@code itcare_proxy_token_expiry_seconds}: seconds until the current token expires, read from
     * {@code secondsUntilExpiry} at every scrape (it must be quick and must not block). A later call replaces the
     * source.
     */
    public void tokenExpiry(DoubleSupplier secondsUntilExpiry) {
        tokenExpiry.set(secondsUntilExpiry);
        if (tokenExpiryRegistered.compareAndSet(false, true)) {
            Gauge.builder(Meters.TOKEN_EXPIRY, tokenExpiry, source -> source.get().getAsDouble())
                    .description("Seconds until the client-credentials token expires")
                    .baseUnit(Meters.SECONDS)
                    .strongReference(true)
                    .register(registry);
        }
    }

    /** The state the gauges show for a breaker, or null if never seen; for tests and diagnostics. */
    public BreakerState breakerState(String breaker) {
        return breakers.state(breaker);
    }

    private RouteMeters route(String route) {
        String label = route == null ? RouteTemplates.OTHER : route;
        RouteMeters meters = routes.get(label);
        if (meters == null) {
            meters = routes.computeIfAbsent(label, r -> new RouteMeters(registry, r));
        }
        return meters;
    }

    private Counter tokenCounter(String outcome) {
        return Meters.counter(registry, Meters.TOKEN_REFRESHES, "Client-credentials token fetches", "outcome", outcome);
    }

    /** The slot of an attempt's outcome in {@link RouteMeters}, or -1 when nothing was attempted. */
    static int outcomeSlot(Outcome outcome) {
        if (outcome instanceof Outcome.Answered answered) {
            return Meters.statusSlot(answered.status());
        }
        if (outcome instanceof Outcome.ConnectFailed) {
            return RouteMeters.CONNECT_ERROR_SLOT;
        }
        if (outcome instanceof Outcome.Reset) {
            return RouteMeters.RESET_SLOT;
        }
        if (outcome instanceof Outcome.TimedOut) {
            return RouteMeters.TIMEOUT_SLOT;
        }
        return -1;
    }
}
