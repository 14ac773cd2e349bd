package cloud.cegedim.itcareproxy.metrics;

/**
 * Told once per client request, when its response has been written (or its connection lost), with everything the
 * metrics and the access log need. Called on the request's event loop: implementations must not block.
 */
@FunctionalInterface
public interface ExchangeObserver {

    ExchangeObserver NONE = completed -> {
    };

    void completed(Completed exchange);

    /**
     * One finished exchange. {@code route} and {@code area} are bounded labels (never raw paths); {@code errorCode} and
     * {@code origin} ({@code upstream} or {@code proxy}) are null for a success; {@code upstreamNanos} is the time spent
     * waiting for upstream response headers over all attempts; {@code completed} says whether the whole response was
     * written (false when the client connection closed or was reset first).
     */
    record Completed(String requestId, String method, String route, String area, int status, String errorCode,
            String origin, int attempts, long upstreamNanos, long totalNanos, boolean completed) {
    }
}
