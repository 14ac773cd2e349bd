package cloud.cegedim.itcareproxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.config.ProxyConfig.BreakerScope;
import cloud.cegedim.itcareproxy.upstream.Outcome;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The breakers composed with a scripted attempt. A {@code @QuarkusTest} because SmallRye builds guards through CDI: a
 * {@code TypedGuard} cannot be created in a plain JUnit test (its SPI lookup finds no implementation and fails for the
 * rest of the JVM).
 */
@QuarkusTest
class BreakersTest {

    /**
     * Window of 4, opens at 2 failures, closes after 2 successful probes; stays open far longer than any test, so that
     * assertions on the open state cannot race SmallRye's timer on a loaded machine.
     */
    private static final BreakerSettings SETTINGS = new BreakerSettings(true, StatusSet.of(500, 503), 4, 0.5,
            Duration.ofSeconds(60), 2);
    /** The same, half-opening after 200 ms, for the tests that wait for it. */
    private static final BreakerSettings QUICK = new BreakerSettings(true, StatusSet.of(500, 503), 4, 0.5,
            Duration.ofMillis(200), 2);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private final ResilienceEvents events = new Scripted.RecordingEvents(transitions);
    private final Breakers breakers = new Breakers(events);

    @AfterEach
    void resetBreakers() {
        breakers.resetAll();
    }

    private static Outcome.Answered answered(int status) {
        return new Outcome.Answered(status, null, null);
    }

    private Outcome call(String key, Scripted.Script script) {
        return call(key, SETTINGS, script);
    }

    private Outcome call(String key, BreakerSettings settings, Scripted.Script script) {
        return outcome(breakers.call(key, settings, script));
    }

    private static Outcome outcome(CompletionStage<Outcome> call) {
        try {
            return call.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no outcome within " + WAIT, e);
        }
    }

    private void open(String key, BreakerSettings settings) {
        Scripted.Script failures = new Scripted.Script(answered(503), answered(503), answered(503), answered(503));
        for (int i = 0; i < 4; i++) {
            call(key, settings, failures);
        }
        assertThat(transitions).contains(key + " closed->open");
    }

    private BreakerState state(String key) {
        return breakers.snapshot().stream().filter(b -> b.name().equals(key)).findFirst().orElseThrow().state();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within %s", WAIT).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    @Test
    void opensWhenAFullWindowHoldsHalfFailuresThenAnswersCircuitOpenWithoutCallingTheUpstream() {
        Scripted.Script script = new Scripted.Script(answered(503), answered(200), answered(500), answered(204));
        for (int i = 0; i < 4; i++) {
            call("compute", script);
        }

        Outcome rejected = call("compute", script);
        call("compute", script);

        assertThat(rejected).isInstanceOf(Outcome.Rejected.class);
        assertThat(((Outcome.Rejected) rejected).reason()).isEqualTo(Outcome.Rejection.CIRCUIT_OPEN);
        assertThat(script.calls()).isEqualTo(4);
        assertThat(transitions).containsExactly("compute closed->open");
        assertThat(breakers.snapshot()).containsExactly(new BreakerSnapshot("compute", BreakerState.OPEN, 4, 2, 4, 60));
    }

    @Test
    void doesNotOpenBeforeTheWindowIsFull() {
        Scripted.Script script = new Scripted.Script(answered(503), answered(503), answered(503), answered(503));
        for (int i = 0; i < 3; i++) {
            call("compute", script);
        }
        assertThat(state("compute")).isEqualTo(BreakerState.CLOSED);

        call("compute", script);

        assertThat(state("compute")).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void clientErrorsAndSuccessesAreNotFailures() {
        Scripted.Script script = new Scripted.Script(answered(400), answered(404), answered(409), answered(429), answered(502),
                answered(200), answered(201), answered(202));
        for (int i = 0; i < 8; i++) {
            call("compute", script);
        }

        assertThat(script.calls()).isEqualTo(8);
        assertThat(breakers.snapshot()).containsExactly(
                new BreakerSnapshot("compute", BreakerState.CLOSED, 4, 0, 4, 0));
        assertThat(transitions).isEmpty();
    }

    @Test
    void connectErrorsResetsAndTimeoutsAreFailures() {
        Scripted.Script script = new Scripted.Script(new Outcome.ConnectFailed(new ConnectException("refused")),
                new Outcome.Reset(new IOException("reset")), new Outcome.TimedOut(Outcome.Deadline.TRY),
                new Outcome.TimedOut(Outcome.Deadline.REQUEST));
        for (int i = 0; i < 4; i++) {
            call("compute", script);
        }

        assertThat(breakers.snapshot()).containsExactly(new BreakerSnapshot("compute", BreakerState.OPEN, 4, 4, 4, 60));
    }

    @Test
    void theOutcomeThatReachesTheCallerIsTheOneTheAttemptProduced() {
        List<Outcome> produced = List.of(answered(503), answered(200), answered(404),
                new Outcome.ConnectFailed(new ConnectException("refused")));
        Scripted.Script script = new Scripted.Script(produced.toArray(Outcome[]::new));

        List<Outcome> received = new ArrayList<>();
        for (int i = 0; i < produced.size(); i++) {
            received.add(call("compute", script));
        }

        for (int i = 0; i < produced.size(); i++) {
            assertThat(received.get(i)).isSameAs(produced.get(i));
        }
    }

    @Test
    void halfOpensAfterTheDelayAndClosesAfterTheSuccessThreshold() {
        open("compute", QUICK);

        await(() -> state("compute") == BreakerState.HALF_OPEN);
        Scripted.Script probes = new Scripted.Script(answered(200), answered(200));
        assertThat(call("compute", QUICK, probes)).isInstanceOf(Outcome.Answered.class);
        assertThat(state("compute")).isEqualTo(BreakerState.HALF_OPEN);
        call("compute", QUICK, probes);

        assertThat(probes.calls()).isEqualTo(2);
        assertThat(transitions).containsExactly("compute closed->open", "compute open->half_open",
                "compute half_open->closed");
        assertThat(breakers.snapshot()).containsExactly(
                new BreakerSnapshot("compute", BreakerState.CLOSED, 0, 0, 4, 0));
    }

    @Test
    void aFailedProbeOpensItAgain() {
        open("compute", QUICK);
        await(() -> state("compute") == BreakerState.HALF_OPEN);

        Outcome probe = call("compute", QUICK, new Scripted.Script(answered(503)));

        assertThat(((Outcome.Answered) probe).status()).isEqualTo(503);
        assertThat(transitions).containsExactly("compute closed->open", "compute open->half_open",
                "compute half_open->open");
    }

    @Test
    void halfOpenLetsOnlyAsManyProbesAsTheSuccessThreshold() {
        open("compute", QUICK);
        await(() -> state("compute") == BreakerState.HALF_OPEN);
        Scripted.Pending pending = new Scripted.Pending();

        List<Outcome> results = new CopyOnWriteArrayList<>();
        breakers.call("compute", QUICK, pending).thenAccept(results::add);
        breakers.call("compute", QUICK, pending).thenAccept(results::add);
        Outcome third = call("compute", QUICK, new Scripted.Script(answered(200)));

        assertThat(third).isEqualTo(new Outcome.Rejected(Outcome.Rejection.CIRCUIT_OPEN,
                "circuit breaker compute is open"));
        assertThat(breakers.secondsUntilHalfOpen("compute")).isEqualTo(1);
        assertThat(pending.attempts).hasSize(2);
        pending.attempts.forEach(attempt -> attempt.complete(answered(200)));
        await(() -> results.size() == 2);
        assertThat(state("compute")).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void anotherKeyIsUnaffected() {
        open("compute", SETTINGS);

        Scripted.Script databases = new Scripted.Script(answered(200));
        Outcome outcome = call("databases", databases);

        assertThat(((Outcome.Answered) outcome).status()).isEqualTo(200);
        assertThat(databases.calls()).isOne();
        assertThat(state("databases")).isEqualTo(BreakerState.CLOSED);
        assertThat(breakers.secondsUntilHalfOpen("databases")).isZero();
    }

    @Test
    void theAnswerIsTheAttemptsOwnOutcomeObjectWhetherItCountsAsAFailureOrNot() {
        Outcome ok = answered(200);
        Outcome failed = answered(503);

        assertThat(call("compute", new Scripted.Script(ok))).isSameAs(ok);
        assertThat(call("compute", new Scripted.Script(failed))).isSameAs(failed);
        assertThat(breakers.snapshot().get(0).windowFailures()).isOne();
    }

    @Test
    void anAttemptThatFailsUnexpectedlyFailsTheCallWithItsOwnExceptionAndCountsNothing() {
        IllegalStateException bug = new IllegalStateException("a bug in the attempt");
        CompletableFuture<Outcome> broken = CompletableFuture.failedFuture(bug);

        CompletableFuture<Outcome> call = breakers.call("compute", SETTINGS, () -> broken)
                .toCompletableFuture();

        await(call::isDone);
        assertThat(call).isCompletedExceptionally();
        assertThat(call.handle((outcome, failure) -> failure).join()).isSameAs(bug);
        assertThat(breakers.snapshot().get(0).windowCalls()).isZero();
    }

    @Test
    void aDisabledBreakerCallsTheAttemptEveryTime() {
        BreakerSettings disabled = new BreakerSettings(false, StatusSet.of(500, 503), 4, 0.5, Duration.ofMillis(200),
                2);
        Scripted.Script script = new Scripted.Script(answered(503), answered(503), answered(503), answered(503), answered(503),
                answered(503));
        for (int i = 0; i < 6; i++) {
            outcome(breakers.call("compute", disabled, script));
        }

        assertThat(script.calls()).isEqualTo(6);
        assertThat(breakers.snapshot()).isEmpty();
    }

    @Test
    void secondsUntilHalfOpenCountWholeSecondsFromTheOpening() {
        AtomicLong clock = new AtomicLong(1_000_000_000_000L);
        Breakers timed = new Breakers(events, clock::get);
        BreakerSettings fiveSeconds = new BreakerSettings(true, StatusSet.of(503), 1, 1.0, Duration.ofSeconds(5), 1);
        try {
            assertThat(timed.secondsUntilHalfOpen("compute")).isZero();
            outcome(timed.call("compute", fiveSeconds, new Scripted.Script(answered(503))));

            assertThat(timed.secondsUntilHalfOpen("compute")).isEqualTo(5);
            clock.addAndGet(Duration.ofMillis(1_500).toNanos());
            assertThat(timed.secondsUntilHalfOpen("compute")).isEqualTo(4);
            assertThat(timed.snapshot().get(0).secondsUntilHalfOpen()).isEqualTo(4);
            clock.addAndGet(Duration.ofMillis(3_400).toNanos());
            assertThat(timed.secondsUntilHalfOpen("compute")).isEqualTo(1);
            clock.addAndGet(Duration.ofSeconds(2).toNanos());
            assertThat(timed.secondsUntilHalfOpen("compute")).as("still open: at least 1").isEqualTo(1);
        } finally {
            timed.resetAll();
        }
    }

    @Test
    void resetAllClosesEveryBreakerAndReportsIt() {
        open("compute", SETTINGS);

        breakers.resetAll();

        assertThat(breakers.snapshot()).containsExactly(
                new BreakerSnapshot("compute", BreakerState.CLOSED, 0, 0, 4, 0));
        assertThat(transitions).containsExactly("compute closed->open", "compute open->closed");
        Scripted.Script script = new Scripted.Script(answered(200));
        call("compute", script);
        assertThat(script.calls()).isOne();
    }

    @Test
    void twoRegistriesInOneApplicationKeepSeparateBreakersForTheSameKey() {
        Breakers other = new Breakers(ResilienceEvents.NOOP);
        try {
            open("compute", SETTINGS);

            Scripted.Script script = new Scripted.Script(answered(200));
            Outcome outcome = outcome(other.call("compute", SETTINGS, script));

            assertThat(((Outcome.Answered) outcome).status()).isEqualTo(200);
            assertThat(other.snapshot().get(0).state()).isEqualTo(BreakerState.CLOSED);
            assertThat(state("compute")).isEqualTo(BreakerState.OPEN);
        } finally {
            other.resetAll();
        }
    }

    @Test
    void anOutcomeThatNobodyWaitsForStillCountsInTheWindow() {
        Scripted.Pending pending = new Scripted.Pending();
        breakers.call("compute", SETTINGS, pending);

        pending.attempts.get(0).complete(answered(503));

        assertThat(breakers.snapshot().get(0).windowFailures()).as("the late outcome is still counted").isOne();
    }

    @Inject
    io.vertx.core.Vertx vertx;

    @Test
    void onAnEventLoopTheAttemptAndItsOutcomeRunInlineWithNothingScheduled() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(onTheLoop -> {
            Thread loop = Thread.currentThread();
            Thread[] attemptThread = { null };
            CompletionStage<Outcome> call = breakers.call("compute", SETTINGS, () -> {
                attemptThread[0] = Thread.currentThread();
                return CompletableFuture.completedFuture(answered(200));
            });
            // SmallRye's default on an event loop runs the attempt in a later task of the loop: not yet here.
            boolean ranInline = attemptThread[0] == loop;
            boolean completedInline = call.toCompletableFuture().isDone();
            seen.complete("attempt inline " + ranInline + ", outcome inline " + completedInline);
        });

        assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("attempt inline true, outcome inline true");
    }

    @Test
    void theKeyFollowsTheScope() {
        assertThat(Breakers.key(BreakerScope.GLOBAL, "compute", "/compute/instances/{id}")).isEqualTo("global");
        assertThat(Breakers.key(BreakerScope.AREA, "compute", "/compute/instances/{id}")).isEqualTo("compute");
        assertThat(Breakers.key(BreakerScope.ROUTE, "compute", "/compute/instances/{id}"))
                .isEqualTo("/compute/instances/{id}");
    }
}
