package cloud.cegedim.itcareproxy.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link RetryPolicy#decide} concluded about the attempt that just ended: try again after a delay, or stop and
 * hand the last outcome to the client. A value, so that the policy is a function that tests can tabulate.
 */
public sealed interface Decision {

    /** Stop with nothing to count: the outcome was not retryable at all (success, 4xx, breaker open, disabled). */
    Stop NOT_RETRYABLE = new Stop(null);

    /**
     * The shared {@link Stop} for a skip reason; stops are immutable, so the request path never allocates one.
     *
     * @param skipped why a possible retry was not made, or {@code null} when nothing was retryable
     */
    static Stop stop(SkipReason skipped) {
        return skipped == null ? NOT_RETRYABLE : skipped.stop;
    }

    /**
     * Send the request again after {@code delay}.
     *
     * @param delay  how long to wait first: the back-off, or the upstream's {@code Retry-After}
     * @param reason what made the attempt retryable, for {@code itcare_proxy_retries_total}
     */
    record Retry(Duration delay, RetryReason reason) implements Decision {
        public Retry {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Do not retry; the last outcome goes back to the client.
     *
     * @param skipped why a retry that was possible was not made (for {@code itcare_proxy_retries_skipped_total}), or
     *                {@code null} when the outcome was not retryable in the first place
     */
    record Stop(SkipReason skipped) implements Decision {
    }
}
