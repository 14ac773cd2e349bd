package cloud.cegedim.itcareproxy.proxy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.upstream.Outcome;
import cloud.cegedim.itcareproxy.upstream.UpstreamClient;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * The request's trip, as wiring only: gate, exchange, attempt, responder. One instance per event loop, with that
 * loop's upstream client; the decisions themselves live in the classes it calls.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {

    private final UpstreamClient upstream;
    private final RequestGate gate;
    private final Responder responder;
    private final AtomicInteger inFlight;
    private final int maxInFlight;
    private final long tryTimeoutNanos;
    private final long requestTimeoutNanos;

    ProxyHandler(UpstreamClient upstream, ProxySettings settings, AtomicInteger inFlight, Responder.Completion completion) {
        this.upstream = upstream;
        this.gate = settings.gate();
        this.responder = new Responder(settings.maxErrorBody(), completion);
        this.inFlight = inFlight;
        this.maxInFlight = settings.maxConcurrentRequests();
        this.tryTimeoutNanos = settings.tryTimeout().toNanos();
        this.requestTimeoutNanos = settings.requestTimeout().toNanos();
    }

    @Override
    public void handle(HttpServerRequest request) {
        // Nothing of the body may be read before the upstream connection is there to take it.
        request.pause();
        Exchange exchange = new Exchange(request, System.nanoTime(), requestTimeoutNanos, gate.maxRequestBody());
        RequestGate.Refusal refusal = gate.check(exchange.method, exchange.target, request.version(), request.headers());
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
        exchange.response.closeHandler(closed -> finish(exchange));
        exchange.response.endHandler(ended -> finish(exchange));
        attempt(exchange);
    }

    private void attempt(Exchange exchange) {
        exchange.attempts++;
        long left = exchange.deadlineNanos - System.nanoTime();
        if (left <= 0) {
            responder.respond(exchange, new Outcome.TimedOut(Outcome.Deadline.REQUEST));
            return;
        }
        boolean requestDeadlineFirst = left < tryTimeoutNanos;
        long timeoutMs = TimeUnit.NANOSECONDS.toMillis(requestDeadlineFirst ? left : tryTimeoutNanos);
        Outcome.Deadline which = requestDeadlineFirst ? Outcome.Deadline.REQUEST : Outcome.Deadline.TRY;
        upstream.send(exchange, timeoutMs, which).onComplete(sent -> respond(exchange, sent.result()));
    }

    private void respond(Exchange exchange, Outcome outcome) {
        if (!exchange.body.ended()) {
            // The client is still sending a body nobody will read: answer, then close rather than drain it.
            exchange.closeAfterResponse = true;
        }
        responder.respond(exchange, outcome);
    }

    private void finish(Exchange exchange) {
        if (!exchange.finished) {
            exchange.finished = true;
            inFlight.decrementAndGet();
        }
    }
}
