package cloud.cegedim.itcareproxy.auth;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Calls to a token source made the way the proxy makes them, from event loops, paced by Vert.x timers (never by
 * sleeping), and waited for with a deadline.
 */
final class TokenCalls {

    private TokenCalls() {
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(20, TimeUnit.SECONDS);
    }

    static Throwable failure(Future<?> future) throws InterruptedException, TimeoutException {
        try {
            future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            throw new AssertionError("the call succeeded");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /**
     * {@code ticks} times, every {@code period}, {@code perTick} calls on one event loop; completes with every call's
     * future once all of them have completed.
     */
    static CompletableFuture<List<Future<String>>> bursts(Vertx vertx, TokenSource source, int ticks, int perTick,
            Duration period) {
        List<Future<String>> calls = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Future<String>>> done = new CompletableFuture<>();
        AtomicInteger left = new AtomicInteger(ticks);
        vertx.getOrCreateContext().runOnContext(start -> vertx.setPeriodic(0, period.toMillis(), timer -> {
            for (int i = 0; i < perTick; i++) {
                calls.add(source.token());
            }
            if (left.decrementAndGet() == 0) {
                vertx.cancelTimer(timer);
                Future.join(List.copyOf(calls)).onComplete(all -> done.complete(List.copyOf(calls)));
            }
        }));
        return done;
    }

    /** Calls every {@code period} on one event loop until a call succeeds; fails after {@code deadline}. */
    static CompletableFuture<String> firstSuccess(Vertx vertx, Supplier<Future<String>> call, Duration period,
            Duration deadline) {
        CompletableFuture<String> done = new CompletableFuture<>();
        long end = System.nanoTime() + deadline.toNanos();
        vertx.getOrCreateContext().runOnContext(start -> vertx.setPeriodic(0, period.toMillis(),
                timer -> call.get().onComplete(result -> {
                    if (result.succeeded() && done.complete(result.result())) {
                        vertx.cancelTimer(timer);
                    } else if (System.nanoTime() - end > 0 && done.completeExceptionally(
                            new AssertionError("no token within " + deadline + ": " + result.cause()))) {
                        vertx.cancelTimer(timer);
                    }
                })));
        return done;
    }

    /** What one call saw: its token (null if it failed or waited) and the source's remaining seconds just after. */
    record Observed(boolean completedAtOnce, String token, Throwable failure, double secondsLeft) {
    }

    /** One call every {@code period} on one event loop for {@code length}; each call is observed as it returns. */
    static CompletableFuture<List<Observed>> steadyCalls(Vertx vertx, TokenSource source, DoubleSupplier secondsLeft,
            Duration period, Duration length) {
        List<Observed> observed = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Observed>> done = new CompletableFuture<>();
        long end = System.nanoTime() + length.toNanos();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(start -> vertx.setPeriodic(0, period.toMillis(), timer -> {
            Future<String> call = source.token();
            observed.add(new Observed(call.isComplete(), call.isComplete() ? call.result() : null,
                    call.isComplete() ? call.cause() : null, secondsLeft.getAsDouble()));
            if (System.nanoTime() - end >= 0) {
                vertx.cancelTimer(timer);
                done.complete(List.copyOf(observed));
            }
        }));
        return done;
    }
}
