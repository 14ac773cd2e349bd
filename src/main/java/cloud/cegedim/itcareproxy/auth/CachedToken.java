package cloud.cegedim.itcareproxy.auth;

import java.time.Duration;

import io.vertx.core.Future;

/**
 * A token and the three moments of its life, on the monotonic clock of {@link System#nanoTime()} (or a test's):
 * <ul>
 * <li>{@code refreshAt}: from then on, a call starts a background refresh and still gets this token at once;</li>
 * <li>{@code staleAt}: from then on, it is no longer handed out (it could expire on its way to ITCare);</li>
 * <li>{@code expiresAt}: the end of {@code expires_in}, counted from when the request was sent, which is before the
 * endpoint started counting.</li>
 * </ul>
 * The refresh margin is {@code refresh-margin} or a fifth of the life, whichever is more, but at most half the life, so
 * that a short token is not refreshed on every call; the stale margin is a quarter of that, at most 5 s. A 1200 s
 * token with the default 60 s is refreshed after 960 s and handed out until 1195 s; a 2 s token after 1 s, until 1.75 s.
 */
final class CachedToken {

    /** Enough for a request to reach ITCare after the token was handed out. */
    private static final long MAX_STALE_MARGIN_NANOS = Duration.ofSeconds(5).toNanos();

    private final String value;
    private final Future<String> ready;
    private final long refreshAt;
    private final long staleAt;
    private final long expiresAt;

    private CachedToken(String value, long refreshAt, long staleAt, long expiresAt) {
        this.value = value;
        this.ready = Future.succeededFuture(value);
        this.refreshAt = refreshAt;
        this.staleAt = staleAt;
        this.expiresAt = expiresAt;
    }

    /**
     * @param requestedAt when the token request was sent, in nanoseconds
     * @param lifetime    the endpoint's {@code expires_in}
     */
    static CachedToken of(String value, long requestedAt, Duration lifetime, Duration refreshMargin) {
        long life = lifetime.toNanos();
        long refreshMarginNanos = Math.min(Math.max(refreshMargin.toNanos(), life / 5), life / 2);
        long staleMarginNanos = Math.min(refreshMarginNanos / 4, MAX_STALE_MARGIN_NANOS);
        long expiresAt = requestedAt + life;
        return new CachedToken(value, expiresAt - refreshMarginNanos, expiresAt - staleMarginNanos, expiresAt);
    }

    String value() {
        return value;
    }

    /** The value as an already completed future: the hot path allocates nothing. */
    Future<String> ready() {
        return ready;
    }

    boolean usableAt(long now) {
        return now - staleAt < 0;
    }

    boolean refreshDueAt(long now) {
        return now - refreshAt >= 0;
    }

    long refreshAt() {
        return refreshAt;
    }

    long staleAt() {
        return staleAt;
    }

    long expiresAt() {
        return expiresAt;
    }

    /** Seconds until it expires; 0 once expired. */
    double secondsLeftAt(long now) {
        return Math.max(0, expiresAt - now) / 1e9;
    }

    @Override
    public String toString() {
        return "CachedToken[value=***]";
    }
}
