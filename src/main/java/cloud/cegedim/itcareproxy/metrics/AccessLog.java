package cloud.cegedim.itcareproxy.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

/**
 * One line per request in the logger category {@code itcare-proxy.access}, at INFO:
 * <pre>
 * requestId=4f2a... method=GET route=/compute/instances/{id} status=200 errorCode=- origin=- attempts=1
 *   upstreamMs=3.201 totalMs=4.022 completed=true
 * </pre>
 * The same fields ride on the record as its MDC, so that Quarkus's JSON console format
 * ({@code quarkus.log.console.json.enabled=true}) prints them as structured fields under {@code "mdc"}, values as
 * strings. The record carries its own MDC map rather than going through {@code MDC.put}/{@code remove}: nothing is
 * left on, or taken from, the event loop thread's context.
 *
 * <p>What it never writes: the raw path (the route is templated), the query string, any header. The request id is the
 * proxy's or a client's id that passed {@code RequestIds}' check; the method is the metrics label ({@code other} for
 * non-standard methods); an upstream's {@code errorCode} is quoted and escaped when it is not plain, and cut at
 * {@value #MAX_VALUE} characters.
 *
 * <p>It runs on the event loop. Formatting is a few string appends; the console handler then writes synchronously,
 * which blocks when stdout is slow (a full pipe): in production, {@code quarkus.log.console.async.enabled=true} moves the
 * formatting and the write off the event loop.
 */
@Singleton
public class AccessLog implements ExchangeObserver {

    /** The logger category. */
    public static final String CATEGORY = "itcare-proxy.access";
    static final int MAX_VALUE = 128;
    private static final String NONE = "-";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private final boolean enabled;

    @Inject
    public AccessLog(AccessLogConfig config) {
        this(config.enabled());
    }

    AccessLog(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public void completed(Completed exchange) {
        if (!enabled || !LOG.isLoggable(Level.INFO)) {
            return;
        }
        // NO_FORMAT: routes hold braces ({id}) that a message format would take for parameters.
        ExtLogRecord record = new ExtLogRecord(Level.INFO, line(exchange), ExtLogRecord.FormatStyle.NO_FORMAT,
                AccessLog.class.getName());
        record.setLoggerName(CATEGORY);
        record.setMdc(fields(exchange));
        LOG.logRaw(record);
    }

    /** The readable key=value line. */
    static String line(Completed exchange) {
        StringBuilder out = new StringBuilder(160);
        out.append("requestId=");
        appendValue(out, exchange.requestId());
        out.append(" method=").append(method(exchange));
        out.append(" route=");
        appendValue(out, route(exchange));
        out.append(" status=").append(exchange.status());
        out.append(" errorCode=");
        appendValue(out, exchange.errorCode() == null ? NONE : exchange.errorCode());
        out.append(" origin=").append(exchange.origin() == null ? NONE : exchange.origin());
        out.append(" attempts=").append(exchange.attempts());
        out.append(" upstreamMs=");
        appendMillis(out, exchange.upstreamNanos());
        out.append(" totalMs=");
        appendMillis(out, exchange.totalNanos());
        out.append(" completed=").append(exchange.completed());
        return out.toString();
    }

    /** The structured fields, as the record's MDC; {@code errorCode} and {@code origin} only on errors. */
    static Map<String, String> fields(Completed exchange) {
        Map<String, String> fields = new HashMap<>(16);
        fields.put("requestId", cut(exchange.requestId()));
        fields.put("method", method(exchange));
        fields.put("route", route(exchange));
        fields.put("status", Integer.toString(exchange.status()));
        if (exchange.errorCode() != null) {
            fields.put("errorCode", cut(exchange.errorCode()));
        }
        if (exchange.origin() != null) {
            fields.put("origin", exchange.origin());
        }
        fields.put("attempts", Integer.toString(exchange.attempts()));
        fields.put("upstreamMs", millis(exchange.upstreamNanos()));
        fields.put("totalMs", millis(exchange.totalNanos()));
        fields.put("completed", Boolean.toString(exchange.completed()));
        return fields;
    }

    private static String method(Completed exchange) {
        return Meters.METHOD_LABELS[Meters.methodIndex(exchange.method())];
    }

    private static String route(Completed exchange) {
        return exchange.route() == null ? RouteTemplates.OTHER : exchange.route();
    }

    private static String cut(String value) {
        return value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE);
    }

    /** Plain values as they are; anything with a space, a quote, a control or non-ASCII character quoted and escaped. */
    static void appendValue(StringBuilder out, String value) {
        String cut = cut(value);
        if (isPlain(cut)) {
            out.append(cut);
            return;
        }
        out.append('"');
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                out.append("\\u");
                String hex = Integer.toHexString(c);
                out.append("0000", hex.length(), 4).append(hex);
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static boolean isPlain(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Milliseconds with three decimals (microsecond precision), written without {@code String.format}. */
    static void appendMillis(StringBuilder out, long nanos) {
        long micros = Math.max(0, nanos) / 1_000;
        long fraction = micros % 1_000;
        out.append(micros / 1_000).append('.');
        if (fraction < 100) {
            out.append('0');
        }
        if (fraction < 10) {
            out.append('0');
        }
        out.append(fraction);
    }

    private static String millis(long nanos) {
        StringBuilder out = new StringBuilder(12);
        appendMillis(out, nanos);
        return out.toString();
    }
}
