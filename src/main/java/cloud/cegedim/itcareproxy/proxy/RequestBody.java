package cloud.cegedim.itcareproxy.proxy;

import cloud.cegedim.itcareproxy.resilience.ReplayBuffer;
import cloud.cegedim.itcareproxy.upstream.Outcome;
import cloud.cegedim.itcareproxy.upstream.RequestRefused;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * A request body on its way upstream: streamed from the client with back-pressure (the client is paused whenever the
 * upstream connection's write queue is full), counted against {@code limits.max-request-body} as it goes, so that a
 * chunked body that crosses the limit is cut there and answered with 413, and kept in a {@link ReplayBuffer} up to
 * {@code retry.replay-buffer} while it streams, so that a later attempt can send it again.
 */
final class RequestBody {

    enum Framing {
        /** No body: neither Content-Length nor Transfer-Encoding. */
        NONE,
        /** Content-Length, forwarded as is. */
        FIXED,
        /** Transfer-Encoding: chunked, re-chunked upstream. */
        CHUNKED
    }

    private final HttpServerRequest request;
    private final Framing framing;
    private final long limit;
    private final boolean expectsContinue;
    private final ReplayBuffer replay;
    private long received;
    private boolean ended;
    private boolean streamed;

    RequestBody(HttpServerRequest request, long limit, long replayLimit) {
        this.request = request;
        this.limit = limit;
        String length = request.getHeader("content-length");
        if (request.getHeader("transfer-encoding") != null) {
            framing = Framing.CHUNKED;
        } else if (length != null && !"0".equals(length)) {
            framing = Framing.FIXED;
        } else {
            framing = Framing.NONE;
        }
        String expect = request.getHeader("expect");
        expectsContinue = expect != null && expect.equalsIgnoreCase("100-continue");
        replay = framing == Framing.NONE ? null : new ReplayBuffer(replayLimit);
    }

    /**
     * Whether a further attempt can send the whole body: it was never read (the connection failed before), or it has
     * fully arrived and was small enough to keep.
     */
    boolean replayable() {
        return framing == Framing.NONE || !streamed || (ended && replay.replayable());
    }

    /** The first attempt streams the client's body; later ones replay what was kept ({@link #replayable()} first). */
    Future<Void> writeTo(HttpClientRequest attempt) {
        if (!streamed) {
            streamed = true;
            return streamTo(attempt);
        }
        if (framing == Framing.NONE) {
            return attempt.end();
        }
        if (framing == Framing.CHUNKED) {
            attempt.setChunked(true);
        }
        if (!replay.replayable()) {
            // Released: the exchange ended (its client went away) while this attempt waited for a token or a
            // connection.
            return Future.failedFuture(new RequestRefused(Outcome.Rejection.CLIENT_GONE,
                    "the exchange ended before the body could be sent again"));
        }
        ByteBuf body = replay.retainedBody();
        Future<Void> written = attempt.end(Buffer.buffer(body));
        written.onComplete(done -> body.release());
        return written;
    }

    /** Gives the replay buffer's memory back: the exchange has ended. */
    void release() {
        if (replay != null) {
            replay.release();
        }
    }

    Framing framing() {
        return framing;
    }

    /** Whether the client has sent its whole body (trivially true without one). */
    boolean ended() {
        return ended || framing == Framing.NONE;
    }

    /**
     * Streams the client's body into the attempt and ends it. The returned future completes when the attempt is ended,
     * and fails if the client goes away or the body crosses the limit.
     */
    private Future<Void> streamTo(HttpClientRequest attempt) {
        if (framing == Framing.NONE) {
            return attempt.end();
        }
        if (framing == Framing.CHUNKED) {
            attempt.setChunked(true);
        }
        Promise<Void> sent = Promise.promise();
        request.handler(chunk -> onChunk(chunk, attempt, sent));
        request.endHandler(end -> {
            ended = true;
            attempt.end().onComplete(sent);
        });
        // The client leaving mid-body is the client's doing: it must not count against ITCare's breaker.
        request.exceptionHandler(failure -> sent.tryFail(
                new RequestRefused(Outcome.Rejection.CLIENT_GONE, "the client went away while sending its body")));
        if (expectsContinue) {
            request.response().writeContinue();
        }
        request.resume();
        return sent.future();
    }

    private void onChunk(Buffer chunk, HttpClientRequest attempt, Promise<Void> sent) {
        received += chunk.length();
        if (received > limit) {
            request.handler(null);
            request.pause();
            sent.tryFail(new RequestRefused(Outcome.Rejection.REQUEST_TOO_LARGE,
                    "the body is over the limit of " + limit + " bytes"));
            return;
        }
        replay.append(chunk);
        attempt.write(chunk);
        if (attempt.writeQueueFull()) {
            request.pause();
            attempt.drainHandler(drained -> request.resume());
        }
    }
}
