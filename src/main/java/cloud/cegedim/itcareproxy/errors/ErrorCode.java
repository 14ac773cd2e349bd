package cloud.cegedim.itcareproxy.errors;

/**
 * The closed list of errors the proxy produces itself, as opposed to the ones ITCare answers and the proxy only
 * normalizes. The constant names are the {@code errorCode} values clients see: they are part of the contract
 * (CONTRACT.md, "Errors that the proxy itself produces"), so constants may be added but never renamed.
 *
 * <p>Each code carries its HTTP status so that no caller can pair a code with the wrong status line, and its human
 * message so that the same error reads the same wherever it is raised. What varies per occurrence (which limit, which
 * area, which host) goes into the envelope's {@code errorDesc}, never into the message: dashboards group by message.
 */
public enum ErrorCode {

    /**
     * The request cannot be forwarded safely: unparseable, absolute-form target, {@code CONNECT}, dot-segments in the
     * path (also percent-encoded), or a request-smuggling attempt. Nothing was sent upstream.
     */
    MALFORMED_REQUEST(400, "The request is malformed"),

    /** The request body is larger than {@code limits.max-request-body}. Nothing was sent upstream. */
    REQUEST_TOO_LARGE(413, "The request body is too large"),

    /** The request target is longer than the proxy accepts. Nothing was sent upstream. */
    URI_TOO_LONG(414, "The request URI is too long"),

    /** The request header section is larger than the proxy accepts. Nothing was sent upstream. */
    HEADERS_TOO_LARGE(431, "The request headers are too large"),

    /**
     * ITCare could not be reached or gave no usable response: connection refused, reset, DNS or TLS failure, or a
     * broken response, after every retry the policy allowed.
     */
    UPSTREAM_UNREACHABLE(502, "ITCare could not be reached"),

    /**
     * The proxy authenticates with client credentials and could not obtain an access token, so it did not call ITCare
     * at all. A 502 rather than a 401: the caller's credentials are not at fault.
     */
    TOKEN_UNAVAILABLE(502, "No access token could be obtained for ITCare"),

    /**
     * The circuit breaker for the API area of this request is open, so the call was refused without reaching ITCare.
     * The response's {@code Retry-After} says when the breaker half-opens.
     */
    CIRCUIT_OPEN(503, "The circuit breaker for this area is open"),

    /** More requests are in flight than {@code limits.max-concurrent-requests}; this one was shed on arrival. */
    PROXY_OVERLOADED(503, "The proxy is overloaded"),

    /** ITCare did not answer within the try timeout or the whole-request timeout, retries included. */
    UPSTREAM_TIMEOUT(504, "ITCare did not answer in time");

    private final int status;
    private final String message;

    ErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** The HTTP status line this error is always sent with. */
    public int status() {
        return status;
    }

    /** The human text sent as {@code errorMessage}; stable per code, free of per-request detail. */
    public String message() {
        return message;
    }
}
