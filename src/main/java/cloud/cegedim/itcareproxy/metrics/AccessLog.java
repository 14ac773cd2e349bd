package cloud.cegedim.itcareproxy.metrics;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.net.HostName;

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
 * <p>Two ways out. With the JSON console in its default shape (prod), the proxy renders the line the console would
 * print itself and writes it straight to standard output ({@link JsonAccessLine}): going through a log record, the
 * handler chain and a JSON generator took 11 % of the proxy's CPU in a profile at a fixed rate, the line written
 * directly 5 %, most of it the write itself. Otherwise (the text console of dev
 * and test, a JSON console configured otherwise, or {@code itcare-proxy.access-log.through-logging=true}) each line is a
 * log record, to whatever handlers are configured.
 *
 * <p>It runs on the event loop, and the write is synchronous, as the console handler's is: a stdout that blocks (a full
 * pipe) blocks the event loop.
 */
@Singleton
public class AccessLog implements ExchangeObserver {

    /** The logger category. */
    public static final String CATEGORY = "itcare-proxy.access";
    static final int MAX_VALUE = 128;
    private static final String NONE = "-";
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    /**
     * {@code quarkus.log.console.json.*} keys that change the JSON line's shape: when one is set, the lines go through
     * logging, so that the console prints them as configured.
     */
    private static final List<String> SHAPING_KEYS = List.of("pretty-print", "date-format", "record-delimiter",
            "zone-id", "exception-output-type", "print-details", "key-overrides", "excluded-keys", "log-format");
    private static final String JSON_CONSOLE = "quarkus.log.console.json";

    private final boolean enabled;
    /** Null when the lines go through logging. */
    private final JsonAccessLine direct;

    @Inject
    public AccessLog(AccessLogConfig config) {
        this(config.enabled(), !config.throughLogging() && writesPlainJsonConsole(ConfigProvider.getConfig()));
    }

    AccessLog(boolean enabled) {
        this(enabled, false);
    }

    AccessLog(boolean enabled, boolean direct) {
        this(enabled, enabled && direct
                ? new JsonAccessLine(HostName.getQualifiedHostName(), ProcessHandle.current().pid(),
                        additionalFields(ConfigProvider.getConfig()), new FileOutputStream(FileDescriptor.out))
                : null);
    }

    /** With the lines written by {@code direct}, or through logging when it is null (tests). */
    AccessLog(boolean enabled, JsonAccessLine direct) {
        this.enabled = enabled;
        this.direct = enabled ? direct : null;
    }

    /** Whether the lines are rendered and written by the proxy itself rather than by logging. */
    public boolean direct() {
        return direct != null;
    }

    /** The console is on, in JSON, in its default shape (additional fields allowed). */
    static boolean writesPlainJsonConsole(Config config) {
        boolean console = config.getOptionalValue("quarkus.log.console.enabled", Boolean.class).orElse(true);
        boolean json = config.getOptionalValue(JSON_CONSOLE + ".enabled", Boolean.class)
                .or(() -> config.getOptionalValue(JSON_CONSOLE, Boolean.class)).orElse(true);
        if (!console || !json) {
            return false;
        }
        for (String key : SHAPING_KEYS) {
            Optional<String> value = config.getOptionalValue(JSON_CONSOLE + "." + key, String.class);
            if (value.isPresent() && !isDefault(key, value.get())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDefault(String key, String value) {
        return switch (key) {
            case "pretty-print", "print-details" -> value.equalsIgnoreCase("false");
            case "date-format", "zone-id", "log-format" -> value.equalsIgnoreCase("default");
            case "exception-output-type" -> value.equalsIgnoreCase("detailed");
            default -> false;
        };
    }

    /** {@code quarkus.log.console.json.additional-field."name".value}, by name. */
    static Map<String, String> additionalFields(Config config) {
        String prefix = JSON_CONSOLE + ".additional-field.";
        Map<String, String> fields = new TreeMap<>();
        for (String key : config.getPropertyNames()) {
            if (key.startsWith(prefix) && key.endsWith(".value")) {
                String name = unquoted(key.substring(prefix.length(), key.length() - ".value".length()));
                config.getOptionalValue(key, String.class).ifPresent(value -> fields.put(name, value));
            }
        }
        return fields;
    }

    private static String unquoted(String name) {
        return name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")
                ? name.substring(1, name.length() - 1)
                : name;
    }

    /**
     * Writes the lines the event loops still hold (see {@link JsonAccessLine}), after the traffic port's drain, which
     * observes the same event at the default priority.
     */
    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent event) {
        if (direct != null) {
            direct.flushAll();
        }
    }

    @Override
    public void completed(Completed exchange) {
        if (!enabled || !LOG.isLoggable(Level.INFO)) {
            return;
        }
        if (direct != null) {
            direct.write(exchange, Instant.now());
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
        appendLine(out, exchange);
        return out.toString();
    }

    static void appendLine(StringBuilder out, Completed exchange) {
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

    static String method(Completed exchange) {
        return Meters.METHOD_LABELS[Meters.methodIndex(exchange.method())];
    }

    static String route(Completed exchange) {
        return exchange.route() == null ? RouteTemplates.OTHER : exchange.route();
    }

    static String cut(String value) {
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
            appendEscaped(out, cut.charAt(i));
        }
        out.append('"');
    }

    /**
     * {@code c} as it may stand inside double quotes, here and in JSON: a quote and a backslash after a backslash,
     * control and non-ASCII characters as a backslash, {@code u} and four hex digits, so that all is plain ASCII.
     */
    static void appendEscaped(StringBuilder out, char c) {
        if (c == '"' || c == '\\') {
            out.append('\\').append(c);
        } else if (c < 0x20 || c >= 0x7f) {
            out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                    .append(HEX[c & 0xf]);
        } else {
            out.append(c);
        }
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
