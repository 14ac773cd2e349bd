package cloud.cegedim.itcareproxy.auth;

import java.util.function.DoubleSupplier;

/**
 * What the token source tells the metrics: each token request's outcome ({@code itcare_proxy_token_refreshes_total})
 * and a live reading of the current token's remaining life ({@code itcare_proxy_token_expiry_seconds}). The default
 * bean does nothing; the metrics package provides the real one. Neither carries a token.
 */
public interface TokenEvents {

    /** A token request ended: a token was obtained ({@code true}) or not. Called once per request, on an event loop. */
    void refreshed(boolean success);

    /**
     * Called once, when the client-credentials source is created: {@code secondsLeft} reads the seconds until the
     * current token expires (0 once expired), {@code NaN} while there is none (before the first token, after a
     * rejection). Safe to call from any thread.
     */
    void expiresIn(DoubleSupplier secondsLeft);

    /** Tells nobody. */
    TokenEvents NONE = new TokenEvents() {
        @Override
        public void refreshed(boolean success) {
        }

        @Override
        public void expiresIn(DoubleSupplier secondsLeft) {
        }
    };
}
