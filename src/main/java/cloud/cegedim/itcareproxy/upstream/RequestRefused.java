package cloud.cegedim.itcareproxy.upstream;

/**
 * Thrown into an attempt by the proxy itself when it stops sending a request it will not forward (the streamed body
 * crossed its limit); the attempt then ends as {@link Outcome.Rejected}, not as an upstream failure.
 */
public final class RequestRefused extends RuntimeException {

    private final Outcome.Rejection reason;

    public RequestRefused(Outcome.Rejection reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Outcome.Rejection reason() {
        return reason;
    }
}
