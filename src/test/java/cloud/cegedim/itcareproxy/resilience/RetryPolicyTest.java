package cloud.cegedim.itcareproxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import cloud.cegedim.itcareproxy.upstream.Outcome;
import io.vertx.core.MultiMap;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2025-11-25T16:00:00Z");
    private static final Duration PLENTY = Duration.ofSeconds(30);
    private static final List<String> METHODS = List.of("GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS");
    private static final Set<String> IDEMPOTENT = Set.of("GET", "PUT", "DELETE", "HEAD", "OPTIONS");

    private static final Outcome ANSWERED_503 = answered(503);
    private static final Outcome ANSWERED_500 = answered(500);
    private static final Outcome RESET = new Outcome.Reset(new IOException("Connection reset by peer"));
    private static final Outcome TRY_TIMEOUT = new Outcome.TimedOut(Outcome.Deadline.TRY);
    private static final Outcome CONNECT_FAILED = new Outcome.ConnectFailed(new ConnectException("Connection refused"));

    private final AtomicLong clock = new AtomicLong();
    private final RetrySettings defaults = RetrySettings.of(TestConfigs.defaultRetry());
    /** Jitter 0.5: the first retry waits 50 ms, the second 100 ms. */
    private final Backoff backoff = Backoff.of(defaults, () -> 0.5);
    private final RetryPolicy policy = new RetryPolicy(defaults, backoff, new RetryBudget(0.2, 10, clock::get));

    private static Outcome.Answered answered(int status, String... headers) {
        MultiMap map = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headers.length; i += 2) {
            map.add(headers[i], headers[i + 1]);
        }
        return new Outcome.Answered(status, map, null);
    }

    private Decision firstAttempt(String method, Outcome outcome) {
        return policy.decide(method, outcome, 1, true, false, PLENTY, NOW);
    }

    private static Decision retry(long millis, RetryReason reason) {
        return new Decision.Retry(Duration.ofMillis(millis), reason);
    }

    static Stream<Arguments> everyOutcomeForEveryMethod() {
        Map<String, Outcome> onlyIdempotent = Map.of(
                "503", ANSWERED_503, "500", ANSWERED_500, "reset", RESET, "try timeout", TRY_TIMEOUT);
        Map<String, RetryReason> reasons = Map.of(
                "503", RetryReason.status(503), "500", RetryReason.status(500), "reset", RetryReason.RESET,
                "try timeout", RetryReason.TIMEOUT);
        Map<String, Outcome> never = Map.of(
                "200", answered(200), "201", answered(201), "202", answered(202), "302", answered(302),
                "400", answered(400), "404", answered(404), "429", answered(429), "502", answered(502),
                "504", answered(504), "request timeout", new Outcome.TimedOut(Outcome.Deadline.REQUEST));
        List<Arguments> rows = new ArrayList<>();
        for (String method : METHODS) {
            onlyIdempotent.forEach((name, outcome) -> rows.add(Arguments.of(name, outcome, method,
                    IDEMPOTENT.contains(method) ? retry(50, reasons.get(name)) : Decision.stop(SkipReason.METHOD))));
            rows.add(Arguments.of("connect error", CONNECT_FAILED, method, retry(50, RetryReason.CONNECT_ERROR)));
            never.forEach((name, outcome) -> rows.add(Arguments.of(name, outcome, method, Decision.NOT_RETRYABLE)));
            rows.add(Arguments.of("breaker open", new Outcome.Rejected(Outcome.Rejection.CIRCUIT_OPEN, "open"),
                    method, Decision.NOT_RETRYABLE));
            rows.add(Arguments.of("token unavailable",
                    new Outcome.Rejected(Outcome.Rejection.TOKEN_UNAVAILABLE, "no token"), method,
                    Decision.NOT_RETRYABLE));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} for {2} -> {3}")
    @MethodSource("everyOutcomeForEveryMethod")
    void decidesEachOutcomeForEachMethodAsTheContractSays(String name, Outcome outcome, String method,
            Decision expected) {
        assertThat(firstAttempt(method, outcome)).isEqualTo(expected);
    }

    @Test
    void theSecondRetryWaitsTheSecondBackoffStep() {
        assertThat(policy.decide("GET", ANSWERED_503, 2, true, false, PLENTY, NOW))
                .isEqualTo(retry(100, RetryReason.status(503)));
    }

    @Test
    void stopsAfterMaxAttempts() {
        assertThat(policy.decide("GET", ANSWERED_503, 3, true, false, PLENTY, NOW))
                .isEqualTo(Decision.stop(SkipReason.MAX_ATTEMPTS));
        assertThat(policy.decide("POST", CONNECT_FAILED, 3, true, false, PLENTY, NOW))
                .isEqualTo(Decision.stop(SkipReason.MAX_ATTEMPTS));
    }

    @Test
    void theMethodIsCheckedBeforeTheAttemptCount() {
        assertThat(policy.decide("POST", ANSWERED_503, 3, false, false, PLENTY, NOW))
                .isEqualTo(Decision.stop(SkipReason.METHOD));
    }

    @Test
    void methodsAreCaseSensitive() {
        assertThat(firstAttempt("get", ANSWERED_503)).isEqualTo(Decision.stop(SkipReason.METHOD));
    }

    @Test
    void aBodyThatWasNotKeptIsNotReplayed() {
        assertThat(policy.decide("PUT", ANSWERED_500, 1, false, false, PLENTY, NOW))
                .isEqualTo(Decision.stop(SkipReason.BODY_NOT_REPLAYABLE));
        assertThat(policy.decide("POST", CONNECT_FAILED, 1, false, false, PLENTY, NOW))
                .isEqualTo(Decision.stop(SkipReason.BODY_NOT_REPLAYABLE));
    }

    @Test
    void theAttemptCountIsCheckedBeforeTheBody() {
        assertThat(policy.decide("PUT", ANSWERED_500, 3, false, false, PLENTY, NOW))
                .isEqualTo(Decision.stop(SkipReason.MAX_ATTEMPTS));
    }

    @Test
    void aRetryAfterWithinTheMaxReplacesTheBackoff() {
        assertThat(firstAttempt("GET", answered(503, "retry-after", "1")))
                .isEqualTo(retry(1_000, RetryReason.status(503)));
        assertThat(firstAttempt("GET", answered(503, "Retry-After", "10")))
                .isEqualTo(retry(10_000, RetryReason.status(503)));
        assertThat(firstAttempt("GET", answered(500, "Retry-After", "Tue, 25 Nov 2025 16:00:05 GMT")))
                .isEqualTo(retry(5_000, RetryReason.status(500)));
        assertThat(firstAttempt("GET", answered(503, "Retry-After", "0")))
                .isEqualTo(retry(0, RetryReason.status(503)));
    }

    @Test
    void aRetryAfterAboveTheMaxSendsTheAnswerBack() {
        assertThat(firstAttempt("GET", answered(503, "Retry-After", "11")))
                .isEqualTo(Decision.stop(SkipReason.RETRY_AFTER_TOO_LONG));
        assertThat(firstAttempt("GET", answered(503, "Retry-After", "3600")))
                .isEqualTo(Decision.stop(SkipReason.RETRY_AFTER_TOO_LONG));
    }

    @Test
    void anUnreadableRetryAfterFallsBackToTheBackoff() {
        assertThat(firstAttempt("GET", answered(503, "Retry-After", "soon")))
                .isEqualTo(retry(50, RetryReason.status(503)));
    }

    @Test
    void aRetryAfterDoesNotOverrideTheMethodRule() {
        assertThat(firstAttempt("POST", answered(503, "Retry-After", "1")))
                .isEqualTo(Decision.stop(SkipReason.METHOD));
    }

    @Test
    void aWaitThatDoesNotEndBeforeTheDeadlineIsNotStarted() {
        assertThat(policy.decide("GET", ANSWERED_503, 1, true, false, Duration.ofMillis(50), NOW))
                .isEqualTo(Decision.stop(SkipReason.DEADLINE));
        assertThat(policy.decide("GET", ANSWERED_503, 1, true, false, Duration.ofMillis(51), NOW))
                .isEqualTo(retry(50, RetryReason.status(503)));
        assertThat(policy.decide("GET", ANSWERED_503, 1, true, false, Duration.ofMillis(-5), NOW))
                .isEqualTo(Decision.stop(SkipReason.DEADLINE));
        assertThat(policy.decide("GET", answered(503, "Retry-After", "5"), 1, true, false, Duration.ofSeconds(4),
                NOW)).isEqualTo(Decision.stop(SkipReason.DEADLINE));
    }

    @Test
    void aRetryAfterTooLongIsReportedAsSuchEvenPastTheDeadline() {
        assertThat(policy.decide("GET", answered(503, "Retry-After", "60"), 1, true, false, Duration.ofSeconds(1),
                NOW)).isEqualTo(Decision.stop(SkipReason.RETRY_AFTER_TOO_LONG));
    }

    @Test
    void anExhaustedBudgetStopsOtherwiseGoodRetries() {
        RetryPolicy broke = new RetryPolicy(defaults, backoff, new RetryBudget(0, 0, clock::get));

        assertThat(broke.decide("GET", ANSWERED_503, 1, true, false, PLENTY, NOW))
                .isEqualTo(Decision.stop(SkipReason.BUDGET));
    }

    @Test
    void onlyRetriesThatAreMadeSpendTheBudget() {
        RetryPolicy tight = new RetryPolicy(defaults, backoff, new RetryBudget(0, 1, clock::get));
        for (int i = 0; i < 50; i++) {
            assertThat(tight.decide("POST", ANSWERED_503, 1, true, false, PLENTY, NOW))
                    .isEqualTo(Decision.stop(SkipReason.METHOD));
            assertThat(tight.decide("GET", ANSWERED_503, 1, true, false, Duration.ZERO, NOW))
                    .isEqualTo(Decision.stop(SkipReason.DEADLINE));
        }

        for (int i = 0; i < 10; i++) {
            assertThat(tight.decide("GET", ANSWERED_503, 1, true, false, PLENTY, NOW)).isInstanceOf(Decision.Retry.class);
        }
        assertThat(tight.decide("GET", ANSWERED_503, 1, true, false, PLENTY, NOW))
                .isEqualTo(Decision.stop(SkipReason.BUDGET));
    }

    @Test
    void aBodyIsWorthKeepingOnlyForTheMethodsThatAreResent() {
        for (String method : METHODS) {
            assertThat(policy.mayResendBody(method)).as(method).isEqualTo(IDEMPOTENT.contains(method));
        }
        RetrySettings oneAttempt = new RetrySettings(true, 1, StatusSet.of(500, 503), Set.of("GET", "PUT"),
                Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10), 1024);
        RetrySettings disabled = new RetrySettings(false, 3, StatusSet.of(500, 503), Set.of("GET", "PUT"),
                Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10), 1024);
        for (RetrySettings settings : List.of(oneAttempt, disabled)) {
            assertThat(new RetryPolicy(settings, backoff, new RetryBudget(0.2, 10, clock::get)).mayResendBody("PUT"))
                    .isFalse();
        }
    }

    /** Not keeping the body of a method that is never resent changes no decision (the proxy relies on it). */
    @ParameterizedTest(name = "{0} on {2}")
    @MethodSource("afterTheBodyWasReadForMethodsNeverResent")
    void aBodyNotKeptForAMethodThatIsNeverResentChangesNoDecision(String name, Outcome outcome, String method,
            Decision expected) {
        assertThat(policy.mayResendBody(method)).isFalse();

        assertThat(policy.decide(method, outcome, 1, false, false, PLENTY, NOW)).isEqualTo(expected);
    }

    /** The rows of {@link #everyOutcomeForEveryMethod} for POST and PATCH, but a connect error (no body read yet). */
    static Stream<Arguments> afterTheBodyWasReadForMethodsNeverResent() {
        return everyOutcomeForEveryMethod().filter(row -> !IDEMPOTENT.contains((String) row.get()[2])
                && !(row.get()[1] instanceof Outcome.ConnectFailed));
    }

    @Test
    void disabledRetriesStopEverythingWithoutCountingASkip() {
        RetrySettings disabled = new RetrySettings(false, 3, StatusSet.of(500, 503), Set.of("GET"),
                Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10), 1024);
        RetryPolicy off = new RetryPolicy(disabled, backoff, new RetryBudget(0.2, 10, clock::get));

        for (Outcome outcome : List.of(ANSWERED_503, RESET, TRY_TIMEOUT, CONNECT_FAILED)) {
            assertThat(off.decide("GET", outcome, 1, true, false, PLENTY, NOW)).isEqualTo(Decision.NOT_RETRYABLE);
        }
    }

    @Test
    void nothingIsRetriedOnceTheResponseHasStarted() {
        assertThat(policy.decide("GET", RESET, 1, true, true, PLENTY, NOW)).isEqualTo(Decision.NOT_RETRYABLE);
        assertThat(policy.decide("POST", CONNECT_FAILED, 1, true, true, PLENTY, NOW))
                .isEqualTo(Decision.NOT_RETRYABLE);
    }

    @Test
    void aConfiguredStatusIsRetriedWithItsOwnReason() {
        RetrySettings with429 = new RetrySettings(true, 3, StatusSet.of(429, 503), Set.of("GET"),
                Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10), 1024);
        RetryPolicy policy429 = new RetryPolicy(with429, backoff, new RetryBudget(0.2, 10, clock::get));

        Decision decision = policy429.decide("GET", answered(429), 1, true, false, PLENTY, NOW);

        assertThat(decision).isEqualTo(retry(50, RetryReason.status(429)));
        assertThat(((Decision.Retry) decision).reason().label()).isEqualTo("status_429");
        assertThat(policy429.decide("GET", ANSWERED_500, 1, true, false, PLENTY, NOW))
                .isEqualTo(Decision.NOT_RETRYABLE);
    }

    @Test
    void anAreaOverrideTurnsRetriesOffForThatAreaOnly() {
        TestConfigs.Area computeWithoutRetries = new TestConfigs.Area(
                new TestConfigs.AreaRetry(Optional.of(false), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                TestConfigs.noBreakerOverrides());
        ResilienceSettings settings = ResilienceSettings.from(TestConfigs.defaultRetry(),
                TestConfigs.defaultBreaker(), Map.of("compute", computeWithoutRetries));
        RetryBudget budget = new RetryBudget(0.2, 10, clock::get);
        RetryPolicy compute = new RetryPolicy(settings.retry("compute"), backoff, budget);
        RetryPolicy databases = new RetryPolicy(settings.retry("databases"), backoff, budget);

        assertThat(compute.decide("GET", ANSWERED_503, 1, true, false, PLENTY, NOW))
                .isEqualTo(Decision.NOT_RETRYABLE);
        assertThat(databases.decide("GET", ANSWERED_503, 1, true, false, PLENTY, NOW))
                .isEqualTo(retry(50, RetryReason.status(503)));
    }

    @Test
    void labelsAreTheContractsClosedVocabulary() {
        assertThat(RetryReason.status(503).label()).isEqualTo("status_503");
        assertThat(RetryReason.status(500).label()).isEqualTo("status_500");
        assertThat(RetryReason.CONNECT_ERROR.label()).isEqualTo("connect_error");
        assertThat(RetryReason.RESET.label()).isEqualTo("reset");
        assertThat(RetryReason.TIMEOUT.label()).isEqualTo("timeout");
        assertThat(RetryReason.status(503)).isSameAs(RetryReason.status(503));
        assertThat(Stream.of(SkipReason.values()).map(SkipReason::label)).containsExactly(
                "budget", "method", "body_not_replayable", "deadline", "retry_after_too_long", "max_attempts");
        assertThat(Stream.of(BreakerState.values()).map(BreakerState::label))
                .containsExactly("closed", "open", "half_open");
    }

    @Test
    void stopsAreSharedNotAllocated() {
        assertThat(Decision.stop(SkipReason.BUDGET)).isSameAs(Decision.stop(SkipReason.BUDGET));
        assertThat(Decision.stop(null)).isSameAs(Decision.NOT_RETRYABLE);
    }
}
