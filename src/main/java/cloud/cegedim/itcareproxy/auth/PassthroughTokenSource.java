package cloud.cegedim.itcareproxy.auth;

import io.vertx.core.Future;

/** Passthrough mode: the proxy holds no credentials and asks nobody for tokens. */
final class PassthroughTokenSource implements TokenSource {

    private static final Future<String> NONE = Future.failedFuture(
            new TokenUnavailable("the proxy holds no ITCare credentials (itcare-proxy.auth.mode is passthrough)"));

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public Future<String> token() {
        return NONE;
    }

    @Override
    public void rejected(String token) {
        // Nothing is cached, so there is nothing to forget.
    }
}
