package cloud.cegedim.itcareproxy.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import cloud.cegedim.itcareproxy.upstream.Outcome;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * The one place that decides whether an attempt is tried again, as a function of what happened and of the request's
 * state. Built once per area from its {@link RetrySettings}, with the area's {@link Backoff} and the shared
 * {@link RetryBudget}; {@link #decide} only reads them, so any event loop may call it.
 *
 * <p>The rules, in the order they are checked (the contract and issue 3):
 * <ol>
 * <li>Retryable outcomes: an answer whose status is in {@code retry.statuses} (reason {@code status_<code>}), a reset
 * ({@code reset}), a try timeout ({@code timeout}), a connect error ({@code connect_error}). Anything else, including
 * a request timeout (the deadline is spent) and a proxy rejection such as an open breaker (retrying would only hit the
 * same open breaker), is not retryable: {@link Decision#NOT_RETRYABLE}, counted nowhere. So is everything when
 * retries are disabled, or once a response byte went to the client (a retry could only corrupt what was sent).</li>
 * <li>Method: an answer, a reset or a try timeout means the upstream may have acted, so only
 * {@code retry.methods} are sent again ({@link SkipReason#METHOD}); POST and PATCH are never re-sent then. A connect
 * error means nothing reached the upstream, so it is retried for every method.</li>
 * <li>{@code retry.max-attempts} ({@link SkipReason#MAX_ATTEMPTS}), then a body that was not kept
 * ({@link SkipReason#BODY_NOT_REPLAYABLE}).</li>
 * <li>The wait: the upstream's {@code Retry-After} when an answer carries a readable one (above
 * {@code retry.retry-after.max}: {@link SkipReason#RETRY_AFTER_TOO_LONG}, the answer and its header go back to the
 * client), the back-off otherwise. A wait that does not end before the request deadline is pointless
 * ({@link SkipReason#DEADLINE}).</li>
 * <li>Last, the budget ({@link SkipReason#BUDGET}): it is checked only when everything else says yes, because a yes
 * from it spends a retry.</li>
 * </ol>
 */
public final class RetryPolicy {

    private final RetrySettings settings;
    private final Backoff backoff;
    private final RetryBudget budget;

    public RetryPolicy(RetrySettings settings, Backoff backoff, RetryBudget budget) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /**
     * Decides what follows the attempt that just ended.
     *
     * @param method          the request method as received ({@code GET}); compared case-sensitively
     * @param outcome         what happened on the attempt
     * @param attempt         the number of the attempt that just ended, 1 for the first
     * @param bodyReplayable  whether the whole request body is held for a replay ({@link ReplayBuffer#replayable()};
     *                        true for a request without a body)
     * @param responseStarted whether any byte of the response went to the client already
     * @param timeLeft        time until the request deadline ({@code upstream.request-timeout}); zero or negative
     *                        when it has passed
     * @param now             the wall-clock time, to read a {@code Retry-After} HTTP-date
     */
    public Decision decide(String method, Outcome outcome, int attempt, boolean bodyReplayable,
            boolean responseStarted, Duration timeLeft, Instant now) {
        RetryReason reason = retryReason(outcome, settings);
        if (reason == null || !settings.enabled() || responseStarted) {
            return Decision.NOT_RETRYABLE;
        }
        if (reason != RetryReason.CONNECT_ERROR && !settings.methods().contains(method)) {
            return Decision.stop(SkipReason.METHOD);
        }
        if (attempt >= settings.maxAttempts()) {
            return Decision.stop(SkipReason.MAX_ATTEMPTS);
        }
        if (!bodyReplayable) {
            return Decision.stop(SkipReason.BODY_NOT_REPLAYABLE);
        }
        Duration delay = null;
        if (outcome instanceof Outcome.Answered answered) {
            Optional<Duration> retryAfter = retryAfter(answered.headers(), now);
            if (retryAfter.isPresent()) {
                if (retryAfter.get().compareTo(settings.retryAfterMax()) > 0) {
                    return Decision.stop(SkipReason.RETRY_AFTER_TOO_LONG);
                }
                delay = retryAfter.get();
            }
        }
        if (delay == null) {
            delay = backoff.delay(attempt);
        }
        if (delay.compareTo(timeLeft) >= 0) {
            return Decision.stop(SkipReason.DEADLINE);
        }
        if (!budget.tryAcquireRetry()) {
            return Decision.stop(SkipReason.BUDGET);
        }
        return new Decision.Retry(delay, reason);
    }

    /**
     * What would make {@code outcome} worth retrying under {@code settings}, before any method, attempt, body, deadline
     * or budget consideration; {@code null} when it is not retryable at all.
     */
    public static RetryReason retryReason(Outcome outcome, RetrySettings settings) {
        if (outcome instanceof Outcome.Answered answered) {
            return settings.statuses().contains(answered.status()) ? RetryReason.status(answered.status()) : null;
        }
        if (outcome instanceof Outcome.ConnectFailed) {
            return RetryReason.CONNECT_ERROR;
        }
        if (outcome instanceof Outcome.Reset) {
            return RetryReason.RESET;
        }
        if (outcome instanceof Outcome.TimedOut timedOut) {
            return timedOut.which() == Outcome.Deadline.TRY ? RetryReason.TIMEOUT : null;
        }
        return null;
    }

    /**
     * Whether a request of {@code method} could be sent again once its body has been read, so that its body is worth
     * keeping: retries on, more than one attempt, and a method of {@code retry.methods}. A connect error, retried for
     * every method, comes before any byte of the body is read and needs no copy of it.
     */
    public boolean mayResendBody(String method) {
        return settings.enabled() && settings.maxAttempts() > 1 && settings.methods().contains(method);
    }

    /** The settings this policy applies. */
    public RetrySettings settings() {
        return settings;
    }

    private static Optional<Duration> retryAfter(MultiMap headers, Instant now) {
        if (headers == null) {
            return Optional.empty();
        }
        return RetryAfter.parse(headers.get(HttpHeaders.RETRY_AFTER), now);
    }
}
