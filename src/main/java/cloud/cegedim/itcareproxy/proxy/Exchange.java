package cloud.cegedim.itcareproxy.proxy;

import cloud.cegedim.itcareproxy.tracing.AttemptSpan;
import cloud.cegedim.itcareproxy.tracing.ExchangeSpan;
import cloud.cegedim.itcareproxy.upstream.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * One client request on its trip through the proxy: typed fields instead of an attribute bag, created once, read by
 * every step. Only the event loop of its connection touches it.
 */
final class Exchange implements UpstreamRequest {

    static final String REQUEST_ID = "X-Request-Id";
    static final String ATTEMPTS = "X-ITCare-Proxy-Attempts";

    final HttpServerRequest request;
    final HttpServerResponse response;
    final HttpMethod method;
    final String target;
    final String requestId;
    final long startNanos;
    final long deadlineNanos;
    final RequestBody body;
    /** First path segment when it is an ITCare area, else {@code other}: per-area settings and breakers. */
    final String area;
    /** Templated, bounded path: the metrics label and, with scope {@code route}, the breaker key. */
    final String route;
    int attempts;
    boolean finished;
    /** Counted against limits.max-concurrent-requests, so its end must release a place. */
    boolean counted;
    /** What the client was answered, set by the responder. */
    int status;
    String errorCode;
    String origin;
    /** Time spent waiting for upstream response headers, all attempts together. */
    long upstreamNanos;
    /** In client-credentials mode, the token this attempt carries instead of the client's Authorization. */
    String bearer;
    /** The one retry after an upstream 401 with a fresh token has been made. */
    boolean tokenRetried;
    /** The client's connection cannot carry another request (unread body, refused framing). */
    boolean closeAfterResponse;
    /** The server span; {@link ExchangeSpan#NONE} with tracing off, and for requests that could not be decoded. */
    ExchangeSpan span = ExchangeSpan.NONE;
    /** The client span of the attempt under way, between its start and its outcome. */
    AttemptSpan attemptSpan = AttemptSpan.NONE;

    Exchange(HttpServerRequest request, long startNanos, long requestTimeoutNanos, long maxBody, long replayLimit,
            String area, String route) {
        this.request = request;
        this.response = request.response();
        this.method = request.method();
        this.target = request.uri();
        this.requestId = RequestIds.keepOrCreate(request.getHeader(REQUEST_ID));
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + requestTimeoutNanos;
        this.body = new RequestBody(request, maxBody, replayLimit);
        this.area = area;
        this.route = route;
        // Vert.x only sees a Connection field that is exactly "close"; RFC 9112 9.6 asks for the token in any list.
        String connection = request.getHeader("connection");
        this.closeAfterResponse = connection != null && HopByHop.namedBy(connection, "close");
    }

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    public String originTarget() {
        return target;
    }

    @Override
    public boolean hasBody() {
        return body.framing() != RequestBody.Framing.NONE;
    }

    @Override
    public void copyHeadersTo(MultiMap upstream) {
        MultiMap headers = request.headers();
        if (bearer == null) {
            HopByHop.copyEndToEnd(headers, upstream, Exchange::replacedOnTheWayUp);
        } else {
            HopByHop.copyEndToEnd(headers, upstream, name -> replacedOnTheWayUp(name) || name.equalsIgnoreCase("authorization"));
            upstream.set("Authorization", "Bearer " + bearer);
        }
        upstream.set(REQUEST_ID, requestId);
        upstream.set("X-Forwarded-For", appended(headers, "x-forwarded-for", clientAddress()));
        upstream.set("X-Forwarded-Proto", appended(headers, "x-forwarded-proto", request.isSSL() ? "https" : "http"));
        String host = request.getHeader("host");
        if (host != null) {
            upstream.set("X-Forwarded-Host", appended(headers, "x-forwarded-host", host));
        }
        attemptSpan.inject(upstream);
    }

    @Override
    public Future<Void> writeBody(HttpClientRequest attempt) {
        return body.writeTo(attempt);
    }

    /** Fields the proxy writes itself: the upstream's Host, the request id, X-Forwarded-*, and the 100-continue it answers. */
    private static boolean replacedOnTheWayUp(String name) {
        switch (name.length()) {
            case 4:
                return name.equalsIgnoreCase("host");
            case 6:
                return name.equalsIgnoreCase("expect");
            case 12:
                return name.equalsIgnoreCase(REQUEST_ID);
            case 15:
                return name.equalsIgnoreCase("x-forwarded-for");
            case 16:
                return name.equalsIgnoreCase("x-forwarded-host");
            case 17:
                return name.equalsIgnoreCase("x-forwarded-proto");
            default:
                return false;
        }
    }

    private String clientAddress() {
        var remote = request.remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress();
    }

    private static String appended(MultiMap headers, String name, String value) {
        var existing = headers.getAll(name);
        if (existing.isEmpty()) {
            return value;
        }
        return String.join(", ", existing) + ", " + value;
    }
}
