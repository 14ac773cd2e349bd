package cloud.cegedim.itcareproxy.metrics;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The contract's meter names, label names and label values, and the one place meters are built. Micrometer names are
 * dotted; the Prometheus registry turns {@code itcare_proxy.requests} with base unit seconds into
 * {@code itcare_proxy_requests_seconds} and a counter {@code itcare_proxy.errors} into {@code itcare_proxy_errors_total}
 * ({@code MetricsExportTest} reads the exported names back from {@code /q/metrics}).
 *
 * <p>Every label value the request path uses is a constant built here when the class loads (statuses, methods,
 * outcomes), so that recording a request never concatenates a string.
 */
final class Meters {

    static final String REQUESTS = "itcare_proxy.requests";
    static final String ERRORS = "itcare_proxy.errors";
    static final String UPSTREAM = "itcare_proxy.upstream";
    static final String RETRIES = "itcare_proxy.retries";
    static final String RETRIES_SKIPPED = "itcare_proxy.retries.skipped";
    static final String CIRCUIT_STATE = "itcare_proxy.circuit.state";
    static final String CIRCUIT_TRANSITIONS = "itcare_proxy.circuit.transitions";
    static final String TOKEN_REFRESHES = "itcare_proxy.token.refreshes";
    static final String TOKEN_EXPIRY = "itcare_proxy.token.expiry";

    static final String SECONDS = "seconds";

    /**
     * Latency buckets (the {@code le} values of both histograms): from 5 ms, below which a proxy hop is noise, to 30 s,
     * the default {@code upstream.request-timeout}. Explicit buckets, no client-side percentiles: quantiles are
     * computed by Prometheus with {@code histogram_quantile} and can be aggregated across instances.
     */
    static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30) };

    /** Status label of an exchange that ended before any status was sent (the client went away first). */
    static final String NO_STATUS = "0";

    /** Slot 0: no status; 1..500: the statuses 100..599; 501: anything else (an upstream may send 999). */
    static final int STATUS_SLOTS = 502;
    private static final int OTHER_STATUS_SLOT = STATUS_SLOTS - 1;
    private static final String[] STATUS_LABELS = new String[STATUS_SLOTS];

    static {
        STATUS_LABELS[0] = NO_STATUS;
        for (int code = 100; code <= 599; code++) {
            STATUS_LABELS[code - 99] = Integer.toString(code);
        }
        STATUS_LABELS[OTHER_STATUS_SLOT] = RouteTemplates.OTHER;
    }

    /** The methods that get their own label; any other method is {@code other}. Indexes into {@link #METHOD_LABELS}. */
    static final String[] METHOD_LABELS = { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
            "CONNECT", RouteTemplates.OTHER };

    private Meters() {
    }

    /** The slot of a status in arrays of {@link #STATUS_SLOTS}. */
    static int statusSlot(int status) {
        if (status >= 100 && status <= 599) {
            return status - 99;
        }
        return status == 0 ? 0 : OTHER_STATUS_SLOT;
    }

    static String statusLabel(int slot) {
        return STATUS_LABELS[slot];
    }

    /** The index of a method in {@link #METHOD_LABELS}; a switch on the string, which allocates nothing. */
    static int methodIndex(String method) {
        return switch (method) {
            case "GET" -> 0;
            case "HEAD" -> 1;
            case "POST" -> 2;
            case "PUT" -> 3;
            case "DELETE" -> 4;
            case "PATCH" -> 5;
            case "OPTIONS" -> 6;
            case "TRACE" -> 7;
            case "CONNECT" -> 8;
            default -> 9;
        };
    }

    /** A latency histogram with the SLO buckets; registering an existing label set returns the existing timer. */
    static Timer timer(MeterRegistry registry, String name, String description, String... tags) {
        return Timer.builder(name)
                .description(description)
                .tags(tags)
                .serviceLevelObjectives(BUCKETS)
                .publishPercentileHistogram(false)
                .register(registry);
    }

    static Counter counter(MeterRegistry registry, String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }
}
