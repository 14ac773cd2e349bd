package cloud.cegedim.itcareproxy.upstream;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import cloud.cegedim.itcareproxy.config.ProxyConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;

/**
 * The only holder of the raw Vert.x client. One attempt in, one {@link Outcome} out: everything that can go wrong on
 * the way is classified here, once, so that no other code looks at exceptions.
 * <p>
 * Timing: the connect timeout bounds the wait for a pooled or new connection (nothing sent yet, so a
 * {@link Outcome.ConnectFailed}); the attempt timeout runs from the moment the request has been fully sent until the
 * response headers arrive (like Envoy's per-try timeout, so that a long upload is not cut by it); an idle timeout of the
 * same length cuts a request with a body on which nothing moves while it is sent, which bounds stalled uploads. Vert.x
 * stops that request idle timeout once the response headers are in, so the connection itself has an idle timeout too,
 * a second longer (the try timeout must always come first while headers are awaited): a response body on which nothing
 * moves, an upstream that sent its headers and then fell silent, or a client that stopped reading, frees the connection
 * instead of holding it for ever. A pooled connection with no request is not idle-timed but closed after
 * {@code upstream.keep-alive-timeout}, before a load balancer in front of ITCare can close it under a request.
 */
public final class UpstreamClient {

    private static final Logger LOG = Logger.getLogger(UpstreamClient.class);

    /** How much longer than the try timeout a connection may stay idle: the try timeout's outcome always wins. */
    private static final long CONNECTION_IDLE_MARGIN_MS = 1000;

    private static final io.vertx.core.Handler<Throwable> IGNORE = failure -> {
    };

    private final Vertx vertx;
    private final HttpClient client;
    private final UpstreamTarget target;
    private final long connectTimeoutMs;
    private final long idleTimeoutMs;

    public UpstreamClient(Vertx vertx, UpstreamTarget target, ProxyConfig.Upstream config, int poolSize) {
        this.vertx = vertx;
        this.target = target;
        this.connectTimeoutMs = config.connectTimeout().toMillis();
        this.idleTimeoutMs = config.tryTimeout().toMillis();
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setKeepAliveTimeout(keepAliveSeconds(config.keepAliveTimeout()))
                .setPipelining(false)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) connectTimeoutMs)
                .setIdleTimeout((int) (idleTimeoutMs + CONNECTION_IDLE_MARGIN_MS))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                // Bodies are forwarded as they are: never ask for, nor undo, a content coding on the proxy's behalf.
                .setDecompressionSupported(false)
                .setTryUseCompression(false)
                .setSsl(target.ssl())
                .setVerifyHost(config.verifyTls())
                .setTrustAll(!config.verifyTls())
                .setDefaultHost(target.host())
                .setDefaultPort(target.port())
                .setMaxInitialLineLength(64 * 1024)
                .setMaxHeaderSize(64 * 1024)
                // The client span and the traceparent sent upstream are the proxy's own (the tracing package):
                // a Vert.x tracer would add a second span per attempt and rewrite traceparent behind its back.
                .setTracingPolicy(TracingPolicy.IGNORE);
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(poolSize));
    }

    /** Vert.x counts the keep-alive timeout in whole seconds: rounded up, at least one. */
    static int keepAliveSeconds(Duration timeout) {
        long seconds = (timeout.toMillis() + 999) / 1000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds));
    }

    public UpstreamTarget target() {
        return target;
    }

    /**
     * Sends one attempt. {@code timeoutMs} is the time allowed for the response headers once the request is sent, and
     * {@code deadline} says which deadline it is, for the {@link Outcome.TimedOut} it produces.
     */
    public Future<Outcome> send(UpstreamRequest request, long timeoutMs, Outcome.Deadline deadline) {
        Promise<Outcome> outcome = Promise.promise();
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.ssl())
                .setURI(target.target(request.originTarget()))
                .setConnectTimeout(connectTimeoutMs);
        if (request.hasBody()) {
            // A body can stall on its way up; a request without one is covered by the attempt's own timer below, and
            // a Vert.x idle timer set and cancelled for it would only cost a timer per request.
            options.setIdleTimeout(idleTimeoutMs);
        }
        client.request(options).onComplete(acquired -> {
            if (acquired.failed()) {
                outcome.tryComplete(new Outcome.ConnectFailed(acquired.cause()));
                return;
            }
            HttpClientRequest attempt = acquired.result();
            // Failures are read from the response future; without a handler Vert.x would also log each one.
            attempt.exceptionHandler(IGNORE);
            request.copyHeadersTo(attempt.headers());
            attempt.response().onComplete(answered -> {
                if (answered.succeeded()) {
                    HttpClientResponse response = answered.result();
                    // Nothing may be read before the responder decides between piping and inspecting.
                    response.pause();
                    if (!outcome.tryComplete(new Outcome.Answered(response.statusCode(), response.headers(), response))) {
                        attempt.reset();
                    }
                } else {
                    outcome.tryComplete(classify(answered.cause()));
                }
            });
            request.writeBody(attempt).onSuccess(sent -> {
                long timer = vertx.setTimer(Math.max(1, timeoutMs), id -> {
                    if (outcome.tryComplete(new Outcome.TimedOut(deadline))) {
                        attempt.reset(0, new TimeoutException(deadline + " timeout"));
                    }
                });
                outcome.future().onComplete(done -> vertx.cancelTimer(timer));
            }).onFailure(cause -> {
                Outcome failed = cause instanceof RequestRefused refused
                        ? new Outcome.Rejected(refused.reason(), refused.getMessage())
                        : new Outcome.Reset(cause);
                if (outcome.tryComplete(failed)) {
                    attempt.reset(0, cause);
                }
            });
        });
        return outcome.future();
    }

    /** Lets a response that will not be forwarded go, keeping its connection when the body is small. */
    public static void discard(Outcome outcome) {
        if (outcome instanceof Outcome.Answered answered && answered.response() != null) {
            HttpClientResponse response = answered.response();
            String length = response.getHeader("content-length");
            if (length != null && length.length() < 6) {
                response.handler(null);
                response.resume();
            } else {
                abandon(response);
            }
        }
    }

    /**
     * Gives up a response whose body will not be forwarded: what has already arrived is dropped and, unless the
     * response turns out to be complete, its request is reset, which closes the connection.
     * <p>
     * The decision waits one turn of the event loop. A response arrives paused (the responder decides first what to do
     * with it), so its end may already have been read off the connection, which Vert.x has then put back in the pool,
     * perhaps already carrying another exchange's request, while the end still sits in the response's buffer.
     * Resetting then would close that connection under the other request (Vert.x closes the connection of a reset
     * request whose response has ended): a client that went away would fail someone else's call, a POST included.
     * Resumed, the buffer delivers its end before the next turn; a response still unfinished after it is truly in
     * flight on a connection no other request can have.
     */
    public static void abandon(HttpClientResponse response) {
        if (response.end().isComplete()) {
            return;
        }
        response.handler(null);
        response.resume();
        io.vertx.core.Context context = Vertx.currentContext();
        if (context == null) {
            response.request().reset();
            return;
        }
        context.runOnContext(next -> {
            if (!response.end().isComplete()) {
                response.request().reset();
            }
        });
    }

    private static Outcome classify(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return new Outcome.TimedOut(Outcome.Deadline.TRY);
        }
        if (cause instanceof ConnectException) {
            return new Outcome.ConnectFailed(cause);
        }
        LOG.debugf("upstream attempt failed after sending: %s", cause.toString());
        return new Outcome.Reset(cause);
    }

    public Future<Void> close() {
        return client.close();
    }
}
