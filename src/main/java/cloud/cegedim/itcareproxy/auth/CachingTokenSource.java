package cloud.cegedim.itcareproxy.auth;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The client-credentials token cache: one token, refreshed ahead of expiry in the background, one token request in
 * flight at most however many calls wait, and a back-off after failures during which calls fail fast.
 * <p>
 * What must stay true: the state below changes only under {@code this}, and nothing is sent, logged or completed while
 * holding it; the fast path (a valid token not yet due for refresh) reads one volatile field and allocates nothing.
 * Time is a monotonic nanosecond clock, injected so that the tests move it by hand.
 */
final class CachingTokenSource implements TokenSource, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CachingTokenSource.class);

    private final TokenEndpoint endpoint;
    private final Duration refreshMargin;
    private final LongSupplier nanoTime;
    private final TokenEvents events;
    /** Spacing of token requests after failed ones. */
    private final Cooldown failures;
    /** Spacing of honoured rejections, so that a 401 storm cannot turn into a token-request storm. */
    private final Cooldown rejections;

    private volatile CachedToken current;
    private Promise<CachedToken> fetching;
    private String lastFailure;

    CachingTokenSource(TokenEndpoint endpoint, Duration refreshMargin, Cooldown failures, Cooldown rejections,
            LongSupplier nanoTime, TokenEvents events) {
        this.endpoint = endpoint;
        this.refreshMargin = refreshMargin;
        this.failures = failures;
        this.rejections = rejections;
        this.nanoTime = nanoTime;
        this.events = events;
        events.expiresIn(this::secondsLeft);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Future<String> token() {
        long now = nanoTime.getAsLong();
        CachedToken cached = current;
        if (cached != null && cached.usableAt(now) && !cached.refreshDueAt(now)) {
            return cached.ready();
        }
        Promise<CachedToken> started = null;
        Future<CachedToken> shared = null;
        Future<String> answer = null;
        synchronized (this) {
            cached = current;
            if (cached != null && cached.usableAt(now)) {
                // Due for refresh but still good: this call does not wait, the refresh runs behind it.
                if (fetching == null && !failures.coolingAt(now)) {
                    started = fetching = Promise.promise();
                }
                answer = cached.ready();
            } else if (fetching != null) {
                shared = fetching.future();
            } else if (failures.coolingAt(now)) {
                answer = Future.failedFuture(new TokenUnavailable(lastFailure + "; next token request in "
                        + TimeUnit.NANOSECONDS.toMillis(failures.remainingAt(now)) + " ms"));
            } else {
                started = fetching = Promise.promise();
                shared = started.future();
            }
        }
        if (started != null) {
            fetch(started, now);
        }
        return answer != null ? answer : onCallersContext(shared);
    }

    @Override
    public void rejected(String token) {
        long now = nanoTime.getAsLong();
        boolean discarded = false;
        synchronized (this) {
            CachedToken cached = current;
            if (cached != null && cached.value().equals(token) && !rejections.coolingAt(now)) {
                current = null;
                rejections.failed(now);
                discarded = true;
            }
        }
        if (discarded) {
            LOG.info("ITCare refused the current access token (401): it is discarded, the next call fetches a new one");
        } else {
            LOG.debug("ITCare refused an access token that is no longer current, or too soon after the last one: kept");
        }
    }

    private void fetch(Promise<CachedToken> promise, long requestedAt) {
        Future<TokenEndpoint.Issued> request;
        try {
            request = endpoint.fetch();
        } catch (RuntimeException bug) {
            request = Future.failedFuture(bug);
        }
        request.onComplete(result -> completed(promise, requestedAt, result));
    }

    private void completed(Promise<CachedToken> promise, long requestedAt, AsyncResult<TokenEndpoint.Issued> result) {
        long now = nanoTime.getAsLong();
        if (result.succeeded()) {
            CachedToken token = CachedToken.of(result.result().accessToken(), requestedAt, result.result().lifetime(),
                    refreshMargin);
            synchronized (this) {
                current = token;
                fetching = null;
                failures.reset();
                lastFailure = null;
            }
            events.refreshed(true);
            LOG.debugf("obtained an ITCare access token from %s, valid for %d s", endpoint.describe(),
                    result.result().lifetime().toSeconds());
            promise.complete(token);
            return;
        }
        String cause = describe(result.cause());
        long waitNanos;
        boolean stillValid;
        synchronized (this) {
            fetching = null;
            waitNanos = failures.failed(now);
            lastFailure = cause;
            CachedToken cached = current;
            stillValid = cached != null && cached.usableAt(now);
        }
        events.refreshed(false);
        LOG.warnf("token request to %s failed: %s; next one in %d ms at the earliest%s", endpoint.describe(), cause,
                TimeUnit.NANOSECONDS.toMillis(waitNanos), stillValid ? "; the current token stays in use" : "");
        promise.fail(new TokenUnavailable(cause));
    }

    /** The failure in words safe to log and to show: ours are built so, anything else is reduced to its type. */
    private static String describe(Throwable failure) {
        if (failure instanceof TokenUnavailable unavailable) {
            return unavailable.getMessage();
        }
        return "unexpected " + failure.getClass().getSimpleName();
    }

    /** Completes on the context of the call that waits, so that its exchange stays on its own event loop. */
    private static Future<String> onCallersContext(Future<CachedToken> shared) {
        Context caller = Vertx.currentContext();
        Promise<String> answer = Promise.promise();
        shared.onComplete(result -> {
            AsyncResult<String> value = result.map(CachedToken::value);
            if (caller == null || caller == Vertx.currentContext()) {
                answer.handle(value);
            } else {
                caller.runOnContext(ignored -> answer.handle(value));
            }
        });
        return answer.future();
    }

    /** Where tokens come from, without credentials. */
    String tokenUrl() {
        return endpoint.describe();
    }

    /** Seconds until the current token expires; {@code NaN} while there is none. */
    double secondsLeft() {
        CachedToken cached = current;
        return cached == null ? Double.NaN : cached.secondsLeftAt(nanoTime.getAsLong());
    }

    @Override
    public void close() {
        if (endpoint instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debugf("closing the token endpoint's client failed: %s", e.getClass().getSimpleName());
            }
        }
    }
}
