package cloud.cegedim.itcareproxy.auth;

import java.time.Duration;

import io.vertx.core.Future;

/**
 * One token request, whatever carries it: real HTTP in production, a script in the cache's unit tests. Its failures
 * are {@link TokenUnavailable} with a message safe to log.
 */
interface TokenEndpoint {

    Future<Issued> fetch();

    /** Where tokens come from, for log lines: the URL, never a credential. */
    String describe();

    /** What the endpoint granted. {@code toString} hides the token. */
    record Issued(String accessToken, Duration lifetime) {

        @Override
        public String toString() {
            return "Issued[accessToken=***, lifetime=" + lifetime + "]";
        }
    }
}
