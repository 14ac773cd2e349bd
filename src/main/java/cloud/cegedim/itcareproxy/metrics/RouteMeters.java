package cloud.cegedim.itcareproxy.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import cloud.cegedim.itcareproxy.resilience.RetryReason;
import cloud.cegedim.itcareproxy.resilience.SkipReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Every meter of one route, each built on its first use and then read from an array slot (or, for the rarer retries
 * and errors, a {@link ConcurrentHashMap}): recording is a lock-free read and an increment, with no registry look-up
 * and no string built. Two threads that race to build the same meter both get the registry's one instance, since
 * Micrometer returns the existing meter for an existing name and label set.
 */
final class RouteMeters {

    static final String CONNECT_ERROR = "connect_error";
    static final String RESET = "reset";
    static final String TIMEOUT = "timeout";

    /** Upstream outcome slots after the status slots. */
    static final int CONNECT_ERROR_SLOT = Meters.STATUS_SLOTS;
    static final int RESET_SLOT = Meters.STATUS_SLOTS + 1;
    static final int TIMEOUT_SLOT = Meters.STATUS_SLOTS + 2;

    private static final int UPSTREAM = 0;
    private static final int PROXY = 1;

    private final MeterRegistry registry;
    private final String route;
    private final AtomicReferenceArray<AtomicReferenceArray<Timer>> requests =
            new AtomicReferenceArray<>(Meters.METHOD_LABELS.length);
    private final AtomicReferenceArray<Timer> attempts = new AtomicReferenceArray<>(Meters.STATUS_SLOTS + 3);
    private final AtomicReferenceArray<ConcurrentHashMap<String, AtomicReferenceArray<Counter>>> errors =
            new AtomicReferenceArray<>(Meters.STATUS_SLOTS);
    private final ConcurrentHashMap<RetryReason, Counter> retries = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<Counter> skipped = new AtomicReferenceArray<>(SkipReason.values().length);

    RouteMeters(MeterRegistry registry, String route) {
        this.registry = registry;
        this.route = route;
    }

    /** One client request ({@code itcare_proxy_requests_seconds}). */
    void request(int method, int statusSlot, long nanos) {
        AtomicReferenceArray<Timer> byStatus = requests.get(method);
        if (byStatus == null) {
            requests.compareAndSet(method, null, new AtomicReferenceArray<>(Meters.STATUS_SLOTS));
            byStatus = requests.get(method);
        }
        Timer timer = byStatus.get(statusSlot);
        if (timer == null) {
            byStatus.compareAndSet(statusSlot, null, Meters.timer(registry, Meters.REQUESTS,
                    "Client-facing latency, one per request", "method", Meters.METHOD_LABELS[method], "route", route,
                    "status", Meters.statusLabel(statusSlot)));
            timer = byStatus.get(statusSlot);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One error envelope sent ({@code itcare_proxy_errors_total}); {@code code} is already a bounded label. */
    void error(int statusSlot, String code, boolean byProxy) {
        ConcurrentHashMap<String, AtomicReferenceArray<Counter>> byCode = errors.get(statusSlot);
        if (byCode == null) {
            errors.compareAndSet(statusSlot, null, new ConcurrentHashMap<>());
            byCode = errors.get(statusSlot);
        }
        AtomicReferenceArray<Counter> byOrigin = byCode.get(code);
        if (byOrigin == null) {
            byOrigin = byCode.computeIfAbsent(code, c -> new AtomicReferenceArray<>(2));
        }
        int origin = byProxy ? PROXY : UPSTREAM;
        Counter counter = byOrigin.get(origin);
        if (counter == null) {
            byOrigin.compareAndSet(origin, null, Meters.counter(registry, Meters.ERRORS,
                    "Error envelopes sent, by who produced them", "route", route, "status",
                    Meters.statusLabel(statusSlot), "error_code", code, "origin", byProxy ? "proxy" : "upstream"));
            counter = byOrigin.get(origin);
        }
        counter.increment();
    }

    /** One upstream attempt ({@code itcare_proxy_upstream_seconds}); {@code slot} is a status slot or an outcome slot. */
    void attempt(int slot, long nanos) {
        Timer timer = attempts.get(slot);
        if (timer == null) {
            attempts.compareAndSet(slot, null, Meters.timer(registry, Meters.UPSTREAM,
                    "Upstream latency until response headers, one per attempt", "route", route, "outcome",
                    outcomeLabel(slot)));
            timer = attempts.get(slot);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    void retried(RetryReason reason) {
        Counter counter = retries.get(reason);
        if (counter == null) {
            counter = retries.computeIfAbsent(reason, r -> Meters.counter(registry, Meters.RETRIES,
                    "Retries made", "route", route, "reason", r.label()));
        }
        counter.increment();
    }

    void skipped(SkipReason reason) {
        int slot = reason.ordinal();
        Counter counter = skipped.get(slot);
        if (counter == null) {
            skipped.compareAndSet(slot, null, Meters.counter(registry, Meters.RETRIES_SKIPPED,
                    "Retries that were possible but not made", "route", route, "reason", reason.label()));
            counter = skipped.get(slot);
        }
        counter.increment();
    }

    private static String outcomeLabel(int slot) {
        return switch (slot) {
            case CONNECT_ERROR_SLOT -> CONNECT_ERROR;
            case RESET_SLOT -> RESET;
            case TIMEOUT_SLOT -> TIMEOUT;
            default -> Meters.statusLabel(slot);
        };
    }
}
