package cloud.cegedim.itcareproxy.resilience;

/**
 * Why a retry that was possible was not made. The labels are the {@code reason} values of the contract's metric
 * {@code itcare_proxy_retries_skipped_total}: a closed vocabulary, renamed only with a changelog entry.
 */
public enum SkipReason {
    /** The retry budget of the last 10 s is spent. */
    BUDGET("budget"),
    /** The method may have had an effect upstream and is not in {@code retry.methods}. */
    METHOD("method"),
    /** The request body was larger than {@code retry.replay-buffer} and streamed on: nothing to send again. */
    BODY_NOT_REPLAYABLE("body_not_replayable"),
    /** The wait before the retry would not end before {@code upstream.request-timeout}. */
    DEADLINE("deadline"),
    /** The upstream asked for a {@code Retry-After} longer than {@code retry.retry-after.max}. */
    RETRY_AFTER_TOO_LONG("retry_after_too_long"),
    /** {@code retry.max-attempts} attempts were made. */
    MAX_ATTEMPTS("max_attempts");

    private final String label;

    /** The one {@link Decision.Stop} for this reason, shared by every request. */
    final Decision.Stop stop;

    SkipReason(String label) {
        this.label = label;
        this.stop = new Decision.Stop(this);
    }

    /** The metric label value. */
    public String label() {
        return label;
    }
}
