package cloud.cegedim.itcareproxy.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import cloud.cegedim.itcareproxy.errors.Envelope;
import cloud.cegedim.itcareproxy.errors.ErrorBodies;
import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.errors.ErrorNormalizer;
import cloud.cegedim.itcareproxy.upstream.Outcome;
import cloud.cegedim.itcareproxy.upstream.UpstreamClient;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;

/**
 * Turns the final {@link Outcome} of an exchange into the client's response. Success answers are piped untouched (never
 * parsed, never copied); every answer of status 400 or more, the upstream's or the proxy's own, leaves as the ITCare
 * envelope, read from at most {@code limits.max-error-body} bytes of the upstream's body.
 */
final class Responder {

    static final String ORIGIN = "X-ITCare-Proxy-Origin";

    private final long maxErrorBody;

    Responder(long maxErrorBody) {
        this.maxErrorBody = maxErrorBody;
    }

    void respond(Exchange exchange, Outcome outcome) {
        if (outcome instanceof Outcome.Answered answered) {
            if (answered.status() < 400) {
                pipe(exchange, answered.response());
            } else {
                readError(exchange, answered.response());
            }
        } else if (outcome instanceof Outcome.ConnectFailed failed) {
            proxyError(exchange, ErrorCode.UPSTREAM_UNREACHABLE, "ITCare could not be connected to", null);
        } else if (outcome instanceof Outcome.Reset) {
            proxyError(exchange, ErrorCode.UPSTREAM_UNREACHABLE, "the connection to ITCare broke before an answer", null);
        } else if (outcome instanceof Outcome.TimedOut timedOut) {
            proxyError(exchange, ErrorCode.UPSTREAM_TIMEOUT, timedOut.which() == Outcome.Deadline.TRY
                    ? "no answer within upstream.try-timeout" : "no answer within upstream.request-timeout", null);
        } else if (outcome instanceof Outcome.Rejected rejected) {
            rejected(exchange, rejected);
        }
    }

    /** A request the gate refused: answered without reading its body, and the connection closed behind it. */
    void refuse(Exchange exchange, RequestGate.Refusal refusal) {
        exchange.closeAfterResponse = true;
        proxyError(exchange, refusal.code(), refusal.detail(), null);
    }

    private void rejected(Exchange exchange, Outcome.Rejected rejected) {
        switch (rejected.reason()) {
            case CIRCUIT_OPEN -> proxyError(exchange, ErrorCode.CIRCUIT_OPEN, rejected.detail(), null);
            case TOKEN_UNAVAILABLE -> proxyError(exchange, ErrorCode.TOKEN_UNAVAILABLE, rejected.detail(), null);
            case CLIENT_GONE -> abort(exchange);
            case REQUEST_TOO_LARGE -> {
                exchange.closeAfterResponse = true;
                proxyError(exchange, ErrorCode.REQUEST_TOO_LARGE, rejected.detail(), null);
            }
        }
    }

    void proxyError(Exchange exchange, ErrorCode code, String detail, String retryAfterSeconds) {
        HttpServerResponse response = exchange.response;
        if (retryAfterSeconds != null) {
            response.putHeader("Retry-After", retryAfterSeconds);
        }
        sendEnvelope(exchange, code.status(), Envelope.of(code, detail), null, "proxy");
    }

    private void pipe(Exchange exchange, HttpClientResponse upstream) {
        HttpServerResponse response = exchange.response;
        int status = upstream.statusCode();
        response.setStatusCode(status);
        response.setStatusMessage(upstream.statusMessage());
        HopByHop.copyEndToEnd(upstream.headers(), response.headers(), HopByHop.NameFilter.NONE);
        stamp(exchange);
        if (exchange.method == HttpMethod.HEAD || status == 204 || status == 304 || status < 200) {
            exchange.status = status;
            upstream.resume();
            upstream.end().onComplete(done -> response.end().onComplete(written -> closeIfAsked(exchange)));
            return;
        }
        exchange.status = status;
        if (upstream.getHeader("content-length") == null) {
            response.setChunked(true);
        }
        // endOnFailure(false): a body cut upstream must not look complete downstream. Once the head has gone out the
        // client connection is cut; before that (the upstream fell silent or broke right after its headers) nothing
        // of the answer was sent, so the client still gets the envelope.
        upstream.pipe().endOnFailure(false).to(response).onComplete(piped -> {
            if (piped.failed()) {
                UpstreamClient.abandon(upstream);
                if (response.headWritten()) {
                    abort(exchange);
                } else {
                    response.headers().clear();
                    response.setChunked(false);
                    proxyError(exchange, ErrorCode.UPSTREAM_UNREACHABLE,
                            "the connection to ITCare broke before the answer's body", null);
                }
            } else {
                closeIfAsked(exchange);
            }
        });
    }

    private void readError(Exchange exchange, HttpClientResponse upstream) {
        Buffer body = Buffer.buffer();
        boolean[] done = { false };
        upstream.handler(chunk -> {
            if (done[0]) {
                return;
            }
            if (body.length() + chunk.length() > maxErrorBody) {
                done[0] = true;
                upstream.handler(null);
                UpstreamClient.abandon(upstream);
                normalizeAndSend(exchange, upstream, null);
                return;
            }
            body.appendBuffer(chunk);
        });
        upstream.endHandler(end -> {
            if (!done[0]) {
                done[0] = true;
                normalizeAndSend(exchange, upstream, decoded(upstream.getHeader("content-encoding"), body));
            }
        });
        upstream.exceptionHandler(failure -> {
            if (!done[0]) {
                done[0] = true;
                normalizeAndSend(exchange, upstream, null);
            }
        });
        upstream.resume();
    }

    private void normalizeAndSend(Exchange exchange, HttpClientResponse upstream, Buffer body) {
        int status = upstream.statusCode();
        ErrorNormalizer.Normalized normalized = ErrorNormalizer.normalize(status, body);
        HopByHop.copyEndToEnd(upstream.headers(), exchange.response.headers(), Responder::representation);
        sendEnvelope(exchange, status, normalized.envelope(), normalized.verbatim() ? body : null, "upstream");
    }

    private void sendEnvelope(Exchange exchange, int status, Envelope envelope, Buffer verbatim, String origin) {
        HttpServerResponse response = exchange.response;
        exchange.status = status;
        exchange.errorCode = envelope.errorCode();
        exchange.origin = origin;
        if (response.headWritten()) {
            abort(exchange);
            return;
        }
        boolean problem = ErrorBodies.prefersProblemJson(exchange.request.getHeader("accept"));
        ErrorBodies.Rendered rendered = verbatim != null && !problem
                ? new ErrorBodies.Rendered("application/json", verbatim)
                : ErrorBodies.render(status, envelope, problem);
        response.setStatusCode(status);
        response.headers()
                .set("Content-Type", rendered.contentType())
                .set(ORIGIN, origin);
        stamp(exchange);
        response.end(rendered.body()).onComplete(written -> closeIfAsked(exchange));
    }

    /**
     * Cuts the client connection under a response that cannot be finished, so that it is never taken for complete.
     * The connection is closed, not the response reset: Vert.x's {@code response.reset()} marks the response closed
     * itself and then never runs its close handler, which is where the exchange ends (and its in-flight place is
     * released).
     */
    private static void abort(Exchange exchange) {
        closeNextTurn(exchange);
    }

    private static void closeIfAsked(Exchange exchange) {
        if (exchange.closeAfterResponse) {
            closeNextTurn(exchange);
        }
    }

    /**
     * Closes the client connection once the current write has returned. A write to a channel that Netty has just
     * closed (the client left, and Vert.x has not heard of it yet) fails while Netty's HTTP encoder is still inside
     * that write; a close written from its failure callback would re-enter the encoder, which then releases the
     * write's buffers twice and logs a warning for each such client.
     */
    private static void closeNextTurn(Exchange exchange) {
        HttpConnection connection = exchange.request.connection();
        Context context = Vertx.currentContext();
        if (context == null) {
            connection.close();
        } else {
            context.runOnContext(next -> connection.close());
        }
    }

    private static void stamp(Exchange exchange) {
        if (exchange.closeAfterResponse) {
            exchange.response.headers().set("Connection", "close");
        }
        exchange.response.headers().set(Exchange.REQUEST_ID, exchange.requestId);
        if (exchange.attempts > 1) {
            exchange.response.headers().set(Exchange.ATTEMPTS, Integer.toString(exchange.attempts));
        }
    }

    /** Fields that describe the upstream's error body, which the envelope replaces. */
    private static boolean representation(String name) {
        return name.regionMatches(true, 0, "content-", 0, 8)
                || name.equalsIgnoreCase("etag")
                || name.equalsIgnoreCase("last-modified")
                || name.equalsIgnoreCase("digest");
    }

    /** An error body as the upstream meant it: gzip and deflate undone (bounded); any other coding is not inspected. */
    private Buffer decoded(String contentEncoding, Buffer body) {
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.trim().equalsIgnoreCase("identity")) {
            return body;
        }
        String coding = contentEncoding.trim().toLowerCase(java.util.Locale.ROOT);
        try (InputStream in = switch (coding) {
            case "gzip", "x-gzip" -> new GZIPInputStream(new java.io.ByteArrayInputStream(body.getBytes()));
            case "deflate" -> new InflaterInputStream(new java.io.ByteArrayInputStream(body.getBytes()));
            default -> null;
        }) {
            if (in == null) {
                return null;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) > 0) {
                out.write(chunk, 0, n);
                if (out.size() > maxErrorBody) {
                    return null;
                }
            }
            return Buffer.buffer(out.toByteArray());
        } catch (IOException e) {
            return null;
        }
    }
}
