package cloud.cegedim.itcareproxy.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;

/**
 * What happened on one attempt. Every concern (the error envelope, the retry decision, the breaker, the metrics, the
 * access log) reads this one value instead of re-deriving it from exceptions or status codes.
 */
public sealed interface Outcome {

    /**
     * The upstream answered with a status line and headers. {@code response} is the live, paused Vert.x response whose
     * body has not been read yet; it is {@code null} in unit tests of pure decisions.
     */
    record Answered(int status, MultiMap headers, HttpClientResponse response) implements Outcome {
    }

    /** Nothing reached the upstream: refused, DNS, TLS handshake or connect timeout. Safe to retry for any method. */
    record ConnectFailed(Throwable cause) implements Outcome {
    }

    /** The connection broke after the request may have been sent. */
    record Reset(Throwable cause) implements Outcome {
    }

    /** No response headers in time. */
    record TimedOut(Deadline which) implements Outcome {
    }

    /** The proxy itself refused to send the attempt (breaker open, token unavailable, body over the limit). */
    record Rejected(Rejection reason, String detail) implements Outcome {
    }

    enum Deadline {
        /** {@code upstream.try-timeout}: this attempt only. */
        TRY,
        /** {@code upstream.request-timeout}: the whole request, retries included. */
        REQUEST
    }

    enum Rejection {
        CIRCUIT_OPEN, TOKEN_UNAVAILABLE, REQUEST_TOO_LARGE,
        /** The client went away while sending its body: not an upstream failure, nobody to answer. */
        CLIENT_GONE
    }
}
