package cloud.cegedim.itcareproxy.auth;

/**
 * No bearer token can be had: the token endpoint is unreachable, refuses the client, answers nonsense, or the proxy
 * is backing off after such failures. The message is built here from fixed words, statuses, OAuth error codes and
 * host names only: it is safe for logs and for the envelope's {@code errorDesc}, and never holds the secret, a token
 * or a body the endpoint sent. It carries no stack trace: it is an answer, not a bug.
 */
public final class TokenUnavailable extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TokenUnavailable(String message) {
        super(message, null, false, false);
    }
}
