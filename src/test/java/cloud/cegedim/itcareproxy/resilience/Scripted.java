package cloud.cegedim.itcareproxy.resilience;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import cloud.cegedim.itcareproxy.upstream.Outcome;

/** Scripted attempts and a recording events sink, for composition tests of the breakers. */
final class Scripted {

    private Scripted() {
    }

    /** Answers the scripted outcomes in order, one per call, and counts the calls. */
    static final class Script implements Supplier<CompletionStage<Outcome>> {
        private final Deque<Outcome> outcomes;
        private final AtomicInteger calls = new AtomicInteger();

        Script(Outcome... outcomes) {
            this.outcomes = new ArrayDeque<>(List.of(outcomes));
        }

        @Override
        public CompletionStage<Outcome> get() {
            calls.incrementAndGet();
            synchronized (outcomes) {
                return CompletableFuture.completedFuture(outcomes.removeFirst());
            }
        }

        int calls() {
            return calls.get();
        }
    }

    /** Attempts that stay in flight until the test completes them. */
    static final class Pending implements Supplier<CompletionStage<Outcome>> {
        final List<CompletableFuture<Outcome>> attempts = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Outcome> get() {
            CompletableFuture<Outcome> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        }
    }

    /** Records transitions as {@code "<breaker> <from>-><to>"}. */
    record RecordingEvents(List<String> transitions) implements ResilienceEvents {
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
            transitions.add(breaker + " " + from.label() + "->" + to.label());
        }
    }
}
