package cloud.cegedim.itcareproxy.resilience;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import cloud.cegedim.itcareproxy.config.ProxyConfig;
import cloud.cegedim.itcareproxy.upstream.Outcome;

/**
 * Everything the request loop needs from this package, built once from configuration: the retry policy of each area
 * (its settings and back-off, sharing one budget), the breaker key and settings of a request, the breakers, and the
 * events sink. Per request it does one map read per lookup and allocates nothing.
 *
 * <p>How the loop is expected to use it, in the order issue 3 fixes (the deadline wraps the retries, each attempt goes
 * through the breaker, a breaker rejection is not retried):
 * <pre>
 *   budget().onRequest();                                   once per client request
 *   policy = retryPolicy(area)
 *   loop: outcome = call(area, route, () -&gt; send(...))     the breaker may answer Rejected without sending
 *         events().attempt(route, outcome, nanos)
 *         decision = policy.decide(method, outcome, attempt, replayable, responseStarted, timeLeft, now)
 *         Retry -&gt; events().retried(route, reason), wait delay, attempt + 1
 *         Stop  -&gt; events().retrySkipped(route, skipped) when skipped != null; answer with outcome
 * </pre>
 */
public final class Resilience {

    private final ResilienceSettings settings;
    private final RetryBudget budget;
    private final Breakers breakers;
    private final ResilienceEvents events;
    private final RetryPolicy globalPolicy;
    private final Map<String, RetryPolicy> policyByArea;

    /**
     * @param jitter   the back-off's random source, shared by every area ({@link Backoff#randomJitter()} in
     *                 production)
     * @param breakers built with the same {@code events}
     */
    public Resilience(ResilienceSettings settings, RetryBudget budget, DoubleSupplier jitter, Breakers breakers,
            ResilienceEvents events) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        this.events = Objects.requireNonNull(events, "events");
        this.globalPolicy = policy(settings.globalRetry(), jitter);
        Map<String, RetryPolicy> byArea = new HashMap<>();
        for (String area : settings.overriddenAreas()) {
            byArea.put(area, policy(settings.retry(area), jitter));
        }
        this.policyByArea = Map.copyOf(byArea);
    }

    /**
     * The production wiring: the system clocks, a random jitter, new breakers. Call it where CDI runs (a producer
     * method), since the breakers build SmallRye guards through it.
     */
    public static Resilience from(ProxyConfig config, ResilienceEvents events) {
        return new Resilience(ResilienceSettings.from(config), RetryBudget.of(config.retry().budget(), System::nanoTime),
                Backoff.randomJitter(), new Breakers(events), events);
    }

    private RetryPolicy policy(RetrySettings retry, DoubleSupplier jitter) {
        return new RetryPolicy(retry, Backoff.of(retry, jitter), budget);
    }

    /** The retry policy of {@code area}: its overrides if it has some, the global keys otherwise. */
    public RetryPolicy retryPolicy(String area) {
        RetryPolicy policy = area == null ? null : policyByArea.get(area);
        return policy != null ? policy : globalPolicy;
    }

    /** The breaker key of a request, after {@code circuit-breaker.scope}. */
    public String breakerKey(String area, String route) {
        return Breakers.key(settings.scope(), area, route);
    }

    /** The breaker settings that apply to a request of {@code area}. */
    public BreakerSettings breakerSettings(String area) {
        return settings.breaker(area);
    }

    /** Runs one attempt through the breaker of the request's key; see {@link Breakers#call}. */
    public CompletionStage<Outcome> call(String area, String route, Supplier<CompletionStage<Outcome>> attempt) {
        return breakers.call(breakerKey(area, route), breakerSettings(area), attempt);
    }

    /** The one retry budget, for {@link RetryBudget#onRequest()}. */
    public RetryBudget budget() {
        return budget;
    }

    /** The breakers, for {@code /q/circuit-breakers} and the {@code Retry-After} of {@code CIRCUIT_OPEN}. */
    public Breakers breakers() {
        return breakers;
    }

    /** Where the loop reports attempts, retries and skips. */
    public ResilienceEvents events() {
        return events;
    }

    /** The resolved settings, for start-up logs. */
    public ResilienceSettings settings() {
        return settings;
    }
}
