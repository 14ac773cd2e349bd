package cloud.cegedim.itcareproxy.resilience;

/**
 * Why a retry was made. The labels are the {@code reason} values of the contract's metric
 * {@code itcare_proxy_retries_total}: {@code status_<code>} for a retried upstream status ({@code status_503},
 * {@code status_500}), {@code connect_error}, {@code reset} and {@code timeout}.
 *
 * <p>Not an enum because the retried statuses are configured; still a closed vocabulary, since only the codes
 * 100..599 exist. Every instance and every label is built when the class loads, so that naming the reason of a retry
 * never concatenates a string on the request path, and instances can be compared with {@code ==}.
 */
public final class RetryReason {

    /** Nothing reached the upstream. */
    public static final RetryReason CONNECT_ERROR = new RetryReason("connect_error", 0);
    /** The connection broke after the request may have been sent. */
    public static final RetryReason RESET = new RetryReason("reset", 0);
    /** No response headers within {@code upstream.try-timeout}. */
    public static final RetryReason TIMEOUT = new RetryReason("timeout", 0);

    private static final RetryReason[] BY_STATUS = new RetryReason[StatusSet.MAX + 1];

    static {
        for (int code = StatusSet.MIN; code <= StatusSet.MAX; code++) {
            BY_STATUS[code] = new RetryReason("status_" + code, code);
        }
    }

    private final String label;
    private final int status;

    private RetryReason(String label, int status) {
        this.label = label;
        this.status = status;
    }

    /**
     * The reason for retrying an upstream answer with this status.
     *
     * @throws IllegalArgumentException outside 100..599
     */
    public static RetryReason status(int code) {
        if (code < StatusSet.MIN || code > StatusSet.MAX) {
            throw new IllegalArgumentException("HTTP status out of range: " + code);
        }
        return BY_STATUS[code];
    }

    /** The metric label value. */
    public String label() {
        return label;
    }

    /** The retried upstream status, or 0 when the reason is not a status. */
    public int status() {
        return status;
    }

    @Override
    public String toString() {
        return label;
    }
}
