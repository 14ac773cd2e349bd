package cloud.cegedim.itcareproxy.auth;

import io.vertx.core.Future;

/**
 * Where the bearer token for ITCare comes from. In {@code passthrough} mode the proxy holds none ({@link #enabled()}
 * is false) and the client's own {@code Authorization} goes upstream; in {@code client-credentials} mode the proxy
 * holds the credentials, caches the token, refreshes it ahead of expiry and sets it on every attempt.
 * <p>
 * Per attempt: {@link #token()}, then {@code Authorization: Bearer <token>} in place of whatever the client sent; a
 * failure is a 502 {@code TOKEN_UNAVAILABLE}; an upstream 401 is reported with {@link #rejected(String)} before one
 * retry with a fresh token.
 */
public interface TokenSource {

    /** False in passthrough mode: the client's Authorization goes upstream untouched. */
    boolean enabled();

    /**
     * The current bearer access token, fetching or refreshing it if needed; fails with {@link TokenUnavailable}. Never
     * blocks. While the cached token is valid the future is already complete. Otherwise it completes on the caller's
     * Vert.x context (the event loop of its connection) when there is one, or on the event loop of the token request.
     */
    Future<String> token();

    /**
     * The upstream answered 401 to a call made with {@code token}: forget it (only if it is still the current one), so
     * that the next {@link #token()} fetches a fresh one. Rejections in quick succession (every fresh token refused,
     * as for a client without rights) are spaced by the token back-off, so a storm of 401s cannot become a storm of
     * token requests: a rejection that arrives while that back-off runs is ignored.
     */
    void rejected(String token);
}
