package cloud.cegedim.itcareproxy.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import cloud.cegedim.itcareproxy.auth.TokenSource;
import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.metrics.ExchangeObserver;
import cloud.cegedim.itcareproxy.metrics.RouteTemplates;
import cloud.cegedim.itcareproxy.resilience.Decision;
import cloud.cegedim.itcareproxy.resilience.Resilience;
import cloud.cegedim.itcareproxy.resilience.RetryPolicy;
import cloud.cegedim.itcareproxy.tracing.AttemptSpan;
import cloud.cegedim.itcareproxy.tracing.ExchangeTracer;
import cloud.cegedim.itcareproxy.upstream.Outcome;
import cloud.cegedim.itcareproxy.upstream.UpstreamClient;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;

/**
 * The request's trip, as wiring only: gate, exchange, attempts, responder. One instance per event loop, with that
 * loop's upstream client; the decisions themselves live in the classes it calls.
 * <p>
 * Order (issue 3): the request deadline wraps the retries; each attempt goes through its breaker; the policy decides
 * after each attempt, before any byte of the response has gone to the client; a breaker's refusal is not retried.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {

    private final Vertx vertx;
    private final UpstreamClient upstream;
    private final RequestGate gate;
    private final Responder responder;
    private final Resilience resilience;
    private final TokenSource tokens;
    private final RouteTemplates routes;
    private final ExchangeObserver observer;
    private final ExchangeTracer tracer;
    private final AtomicInteger inFlight;
    private final AtomicBoolean draining;
    private final int maxInFlight;
    private final long tryTimeoutNanos;
    private final long requestTimeoutNanos;

    ProxyHandler(Vertx vertx, UpstreamClient upstream, ProxySettings settings, Resilience resilience, TokenSource tokens,
            AtomicInteger inFlight, AtomicBoolean draining, ExchangeObserver observer) {
        this.vertx = vertx;
        this.upstream = upstream;
        this.gate = settings.gate();
        this.responder = new Responder(settings.maxErrorBody());
        this.observer = observer;
        this.resilience = resilience;
        this.tokens = tokens;
        this.routes = settings.routes();
        this.tracer = settings.tracer();
        this.inFlight = inFlight;
        this.draining = draining;
        this.maxInFlight = settings.maxConcurrentRequests();
        this.tryTimeoutNanos = settings.tryTimeout().toNanos();
        this.requestTimeoutNanos = settings.requestTimeout().toNanos();
    }

    @Override
    public void handle(HttpServerRequest request) {
        // Nothing of the body may be read before the upstream connection is there to take it.
        request.pause();
        HeaderDeadline.headReceived(request);
        String target = request.uri();
        String area = routes.area(target);
        RetryPolicy policy = resilience.retryPolicy(area);
        // A body is copied for a replay only when one can happen: a retry of its method, or a fresh token after a 401.
        long replayLimit = policy.mayResendBody(request.method().name()) || tokens.enabled()
                ? policy.settings().replayBufferBytes()
                : 0;
        Exchange exchange = new Exchange(request, System.nanoTime(), requestTimeoutNanos, gate.maxRequestBody(),
                replayLimit, area, routes.route(target));
        exchange.span = tracer.start(request.headers(), exchange.method.name(), exchange.route, exchange.requestId);
        exchange.response.closeHandler(closed -> finish(exchange, false));
        // Vert.x also calls the end handler when the connection closes before the response was written.
        exchange.response.endHandler(ended -> finish(exchange, exchange.response.ended()));
        RequestGate.Refusal refusal = gate.check(exchange.method, target, request.version(), request.headers());
        if (refusal != null) {
            responder.refuse(exchange, refusal);
            return;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            exchange.closeAfterResponse = true;
            responder.proxyError(exchange, ErrorCode.PROXY_OVERLOADED,
                    "more than " + maxInFlight + " requests in flight", "1");
            return;
        }
        exchange.counted = true;
        resilience.budget().onRequest();
        attempt(exchange, policy);
    }

    private void attempt(Exchange exchange, RetryPolicy policy) {
        if (exchange.finished) {
            // The client went away while a retry waited: nobody would read its answer.
            return;
        }
        exchange.attempts++;
        long started = System.nanoTime();
        long left = exchange.deadlineNanos - started;
        if (left <= 0) {
            finalOutcome(exchange, new Outcome.TimedOut(Outcome.Deadline.REQUEST));
            return;
        }
        boolean requestDeadlineFirst = left < tryTimeoutNanos;
        long timeoutMs = TimeUnit.NANOSECONDS.toMillis(requestDeadlineFirst ? left : tryTimeoutNanos);
        Outcome.Deadline which = requestDeadlineFirst ? Outcome.Deadline.REQUEST : Outcome.Deadline.TRY;
        if (!tokens.enabled()) {
            send(exchange, policy, timeoutMs, which, started);
            return;
        }
        // The token is had before the breaker: a token endpoint that fails is not ITCare failing.
        tokens.token().onComplete(token -> {
            if (token.succeeded()) {
                exchange.bearer = token.result();
                send(exchange, policy, timeoutMs, which, started);
            } else {
                attempted(exchange, policy,
                        new Outcome.Rejected(Outcome.Rejection.TOKEN_UNAVAILABLE, token.cause().getMessage()), started);
            }
        });
    }

    private void send(Exchange exchange, RetryPolicy policy, long timeoutMs, Outcome.Deadline which, long started) {
        resilience.call(exchange.area, exchange.route,
                () -> {
                    // Inside the breaker: a refused call is no attempt and gets no client span.
                    exchange.attemptSpan = exchange.span.attempt(exchange.attempts);
                    return upstream.send(exchange, timeoutMs, which).toCompletionStage();
                })
                .whenComplete((outcome, failure) -> attempted(exchange, policy,
                        failure == null ? outcome : new Outcome.Reset(failure), started));
    }

    private void attempted(Exchange exchange, RetryPolicy policy, Outcome outcome, long started) {
        long took = System.nanoTime() - started;
        exchange.upstreamNanos += took;
        exchange.attemptSpan.end(outcome);
        exchange.attemptSpan = AttemptSpan.NONE;
        resilience.events().attempt(exchange.route, outcome, took);
        if (outcome instanceof Outcome.Answered answered && answered.status() == 401 && exchange.bearer != null
                && !exchange.tokenRetried && exchange.body.replayable()) {
            // The proxy's own token was refused: one fresh token, one more attempt; a second 401 goes back as it is.
            exchange.tokenRetried = true;
            tokens.rejected(exchange.bearer);
            UpstreamClient.discard(outcome);
            attempt(exchange, policy);
            return;
        }
        if (RetryPolicy.retryReason(outcome, policy.settings()) == null) {
            finalOutcome(exchange, outcome);
            return;
        }
        Decision decision = policy.decide(exchange.method.name(), outcome, exchange.attempts, exchange.body.replayable(),
                false, Duration.ofNanos(exchange.deadlineNanos - System.nanoTime()), Instant.now());
        if (decision instanceof Decision.Retry retry) {
            resilience.events().retried(exchange.route, retry.reason());
            UpstreamClient.discard(outcome);
            long delayMs = retry.delay().toMillis();
            if (delayMs <= 0) {
                vertx.runOnContext(next -> attempt(exchange, policy));
            } else {
                vertx.setTimer(delayMs, next -> attempt(exchange, policy));
            }
            return;
        }
        Decision.Stop stop = (Decision.Stop) decision;
        if (stop.skipped() != null) {
            resilience.events().retrySkipped(exchange.route, stop.skipped());
        }
        finalOutcome(exchange, outcome);
    }

    private void finalOutcome(Exchange exchange, Outcome outcome) {
        if (!exchange.body.ended() || draining.get()) {
            // A body still coming that nobody will read, or a shutdown under way: answer, then close the connection.
            exchange.closeAfterResponse = true;
        }
        if (outcome instanceof Outcome.Rejected rejected && rejected.reason() == Outcome.Rejection.CIRCUIT_OPEN) {
            String key = resilience.breakerKey(exchange.area, exchange.route);
            long seconds = Math.max(1, resilience.breakers().secondsUntilHalfOpen(key));
            responder.proxyError(exchange, ErrorCode.CIRCUIT_OPEN,
                    "the circuit breaker '" + key + "' is open", Long.toString(seconds));
            return;
        }
        responder.respond(exchange, outcome);
    }

    /** Requests Netty could not decode: answered with the envelope, and the connection closed. */
    void invalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        ErrorCode code;
        String detail;
        if (cause instanceof TooLongHttpLineException) {
            code = ErrorCode.URI_TOO_LONG;
            detail = "the request line is over the limit";
        } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            code = ErrorCode.HEADERS_TOO_LARGE;
            detail = "the header section is over the limit";
        } else {
            code = ErrorCode.MALFORMED_REQUEST;
            detail = "the request could not be parsed"
                    + (cause == null || cause.getMessage() == null ? "" : ": " + abbreviated(cause.getMessage()));
        }
        Exchange exchange = new Exchange(request, System.nanoTime(), 0, 0, 0, RouteTemplates.OTHER, RouteTemplates.OTHER);
        exchange.response.endHandler(ended -> finish(exchange, exchange.response.ended()));
        exchange.closeAfterResponse = true;
        responder.proxyError(exchange, code, detail, null);
    }

    private static String abbreviated(String message) {
        return message.length() <= 120 ? message : message.substring(0, 120) + "...";
    }

    /** The one place an exchange ends, once: its place in flight is released, the observers told, its span ended. */
    private void finish(Exchange exchange, boolean written) {
        if (exchange.finished) {
            return;
        }
        exchange.finished = true;
        exchange.body.release();
        HeaderDeadline.exchangeDone(exchange.request);
        if (exchange.counted) {
            inFlight.decrementAndGet();
        }
        ExchangeObserver.Completed completed = new ExchangeObserver.Completed(exchange.requestId,
                exchange.method.name(), exchange.route, exchange.area, exchange.status, exchange.errorCode,
                exchange.origin, exchange.attempts, exchange.upstreamNanos, System.nanoTime() - exchange.startNanos,
                written);
        observer.completed(completed);
        exchange.span.end(completed);
    }
}
