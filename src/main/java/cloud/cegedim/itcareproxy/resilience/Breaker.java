package cloud.cegedim.itcareproxy.resilience;

import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import cloud.cegedim.itcareproxy.upstream.Outcome;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.enterprise.util.TypeLiteral;

/**
 * One circuit breaker: a SmallRye guard, plus what the guard does not expose and the proxy needs, namely when it
 * opened (for {@code Retry-After}) and the window's counts (for {@code /q/circuit-breakers}). Built once per breaker
 * key by {@link Breakers}.
 *
 * <p>SmallRye's breaker can only count exceptions, and an upstream 503 is an answer, not an exception. So inside the
 * guard an outcome that counts as a failure is thrown as a {@link Failure} carrying it, and outside the guard it is
 * turned back into that very outcome: the upstream's answer, live response included, reaches the caller unchanged
 * instead of being replaced by a generic error (what Spring Cloud Gateway's issues #2018 and #2047 describe).
 */
final class Breaker {

    private static final TypeLiteral<CompletionStage<Outcome>> STAGE_OF_OUTCOME = new TypeLiteral<>() {
    };
    private static final java.util.concurrent.Executor ON_THE_CALLING_THREAD = Runnable::run;
    private static final int EMPTY = 0;
    private static final int SUCCESS = 1;
    private static final int FAILURE = 2;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String key;
    private final String name;
    private final BreakerSettings settings;
    private final ResilienceEvents events;
    private final LongSupplier nanoTime;
    private final TypedGuard<CompletionStage<Outcome>> guard;
    private final Outcome.Rejected rejected;
    private final AtomicReference<BreakerState> state = new AtomicReference<>(BreakerState.CLOSED);
    private final AtomicIntegerArray window;
    private final AtomicLong windowCursor = new AtomicLong();
    private volatile long openedAtNanos;

    /**
     * @param key  the breaker key, reported in events and snapshots
     * @param name the name registered with SmallRye's {@link CircuitBreakerMaintenance}, unique in the JVM
     */
    Breaker(String key, String name, BreakerSettings settings, ResilienceEvents events, LongSupplier nanoTime) {
        this.key = key;
        this.name = name;
        this.settings = settings;
        this.events = events;
        this.nanoTime = nanoTime;
        this.window = new AtomicIntegerArray(settings.requestVolume());
        this.rejected = new Outcome.Rejected(Outcome.Rejection.CIRCUIT_OPEN, "circuit breaker " + key + " is open");
        this.guard = TypedGuard.create(STAGE_OF_OUTCOME)
                .withDescription(Breakers.DESCRIPTION_PREFIX + key)
                .withCircuitBreaker()
                .name(name)
                .requestVolumeThreshold(settings.requestVolume())
                .failureRatio(settings.failureRatio())
                .delay(settings.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(settings.successThreshold())
                .failOn(Failure.class)
                .onStateChange(this::onStateChange)
                .done()
                // The attempt never blocks, so it runs where it is called, on the request's event loop. Thread offload
                // "off" would not do that: SmallRye then remembers the event loop and re-dispatches both the call and
                // its completion to it (two tasks and two context-propagation captures per attempt, a fifth of the
                // guarded path's samples under load). Offload "on" to an executor that runs the task on the calling
                // thread keeps the call inline and schedules nothing.
                .withThreadOffload(true)
                .withThreadOffloadExecutor(ON_THE_CALLING_THREAD)
                .build();
    }

    /**
     * Runs {@code attempt} through the guard; an open breaker answers {@link Outcome.Rejected} without calling it.
     * <p>
     * The guarded type is {@code CompletionStage}, SmallRye's own asynchronous type: a {@code Uni} would add Mutiny's
     * operators and their context-propagation wrappers to every attempt, for nothing the proxy uses.
     */
    CompletionStage<Outcome> call(Supplier<CompletionStage<Outcome>> attempt) {
        CompletableFuture<Outcome> answer = new CompletableFuture<>();
        guard.get(() -> classified(attempt.get())).whenComplete((outcome, failure) -> {
            if (failure == null) {
                answer.complete(outcome);
                return;
            }
            Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null
                    ? wrapped.getCause()
                    : failure;
            if (isBreakerSignal(cause)) {
                answer.complete(toOutcome(cause));
            } else {
                answer.completeExceptionally(cause);
            }
        });
        return answer;
    }

    /** The attempt's outcome, as a failure that SmallRye counts when it is one. */
    private CompletionStage<Outcome> classified(CompletionStage<Outcome> attempt) {
        CompletableFuture<Outcome> classified = new CompletableFuture<>();
        attempt.whenComplete((outcome, failure) -> {
            if (failure != null) {
                classified.completeExceptionally(failure);
            } else if (recorded(outcome)) {
                classified.completeExceptionally(new Failure(outcome));
            } else {
                classified.complete(outcome);
            }
        });
        return classified;
    }

    /** Whether {@code outcome} counts against the upstream: a listed status, a connect error, a reset, a timeout. */
    static boolean isFailure(Outcome outcome, BreakerSettings settings) {
        if (outcome instanceof Outcome.Answered answered) {
            return settings.statuses().contains(answered.status());
        }
        return outcome instanceof Outcome.ConnectFailed || outcome instanceof Outcome.Reset
                || outcome instanceof Outcome.TimedOut;
    }

    /** Records {@code outcome} in the window and says whether it is a failure. */
    private boolean recorded(Outcome outcome) {
        boolean failed = isFailure(outcome, settings);
        window.set((int) (windowCursor.getAndIncrement() % window.length()), failed ? FAILURE : SUCCESS);
        return failed;
    }

    private static boolean isBreakerSignal(Throwable failure) {
        return failure instanceof Failure || failure instanceof CircuitBreakerOpenException;
    }

    private Outcome toOutcome(Throwable failure) {
        return failure instanceof Failure carried ? carried.outcome : rejected;
    }

    /** Called by SmallRye on the calling thread or on its timer thread (open to half-open after the delay). */
    private void onStateChange(CircuitBreakerState smallRyeState) {
        BreakerState to = BreakerState.of(smallRyeState);
        if (to == BreakerState.OPEN) {
            openedAtNanos = nanoTime.getAsLong();
        } else {
            clearWindow();
        }
        BreakerState from = state.getAndSet(to);
        if (from != to) {
            events.breakerTransition(key, from, to);
        }
    }

    /** Closes the breaker at once, for tests; reported as a transition so that state gauges follow. */
    void reset(CircuitBreakerMaintenance maintenance) {
        maintenance.reset(name);
        clearWindow();
        BreakerState from = state.getAndSet(BreakerState.CLOSED);
        if (from != BreakerState.CLOSED) {
            events.breakerTransition(key, from, BreakerState.CLOSED);
        }
    }

    /** Whole seconds until half-open, at least 1 while open; 0 when closed or half-open. */
    long secondsUntilHalfOpen() {
        if (state.get() != BreakerState.OPEN) {
            return 0;
        }
        long remaining = openedAtNanos + settings.delay().toNanos() - nanoTime.getAsLong();
        return Math.max(1, (remaining + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    BreakerState state() {
        return state.get();
    }

    BreakerSnapshot snapshot() {
        int calls = 0;
        int failures = 0;
        for (int i = 0; i < window.length(); i++) {
            int slot = window.get(i);
            calls += slot == EMPTY ? 0 : 1;
            failures += slot == FAILURE ? 1 : 0;
        }
        return new BreakerSnapshot(key, state.get(), calls, failures, window.length(), secondsUntilHalfOpen());
    }

    String name() {
        return name;
    }

    private void clearWindow() {
        for (int i = 0; i < window.length(); i++) {
            window.set(i, EMPTY);
        }
    }

    /**
     * Carries a failing outcome through the guard. Without a stack trace: it is a signal, not an error, and is thrown
     * on every failing attempt.
     */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient Outcome outcome;

        Failure(Outcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }

        Outcome outcome() {
            return outcome;
        }
    }
}
