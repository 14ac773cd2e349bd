package cloud.cegedim.itcareproxy.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.quarkus.runtime.configuration.MemorySize;

/**
 * Checks the values that types alone cannot: signs, ranges, URL shapes. Each problem names its full key, so that a
 * start-up that stops says exactly what to fix. This is the only place where configuration is judged.
 */
public final class ConfigValidation {

    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST", "PATCH", "TRACE");

    private final List<String> problems = new ArrayList<>();

    private ConfigValidation() {
    }

    /** Every problem found, in key order; empty when the configuration can be used. */
    public static List<String> problems(ProxyConfig config) {
        ConfigValidation v = new ConfigValidation();
        v.check(config);
        return List.copyOf(v.problems);
    }

    /** Throws with every problem at once, each naming its key. */
    public static void requireValid(ProxyConfig config) {
        List<String> found = problems(config);
        if (!found.isEmpty()) {
            throw new IllegalStateException("Invalid itcare-proxy configuration: " + String.join("; ", found));
        }
    }

    private void check(ProxyConfig c) {
        port("server.port", c.server().port());
        nonNegative("server.idle-timeout", c.server().idleTimeout());
        nonNegative("server.drain-timeout", c.server().drainTimeout());
        positive("server.header-timeout", c.server().headerTimeout());
        url("upstream.url", c.upstream().url());
        positive("upstream.connect-timeout", c.upstream().connectTimeout());
        positive("upstream.try-timeout", c.upstream().tryTimeout());
        positive("upstream.keep-alive-timeout", c.upstream().keepAliveTimeout());
        positive("upstream.request-timeout", c.upstream().requestTimeout());
        atLeast("upstream.max-connections", c.upstream().maxConnections(), 1);
        positive("limits.max-request-body", c.limits().maxRequestBody());
        positive("limits.max-error-body", c.limits().maxErrorBody());
        atLeast("limits.max-concurrent-requests", c.limits().maxConcurrentRequests(), 1);
        atLeast("limits.max-header-size", c.limits().maxHeaderSize().asLongValue(), 1024);
        atLeast("limits.max-request-line", c.limits().maxRequestLine().asLongValue(), 256);
        retry("retry.", c.retry());
        ratio("retry.budget.ratio", c.retry().budget().ratio());
        atLeast("retry.budget.min-per-second", c.retry().budget().minPerSecond(), 0);
        breaker("circuit-breaker.", c.circuitBreaker());
        for (Map.Entry<String, ProxyConfig.Area> area : c.areas().entrySet()) {
            area("areas.\"" + area.getKey() + "\".", area.getValue());
        }
        atLeast("metrics.max-routes", c.metrics().maxRoutes(), 1);
        if (c.auth().mode() == ProxyConfig.AuthMode.CLIENT_CREDENTIALS) {
            url("auth.token-url", c.auth().tokenUrl());
            present("auth.client-id", c.auth().clientId());
            secret(c.auth());
            positive("auth.refresh-margin", c.auth().refreshMargin());
            positive("auth.token-timeout", c.auth().tokenTimeout());
            positive("auth.backoff.initial", c.auth().backoff().initial());
            positive("auth.backoff.max", c.auth().backoff().max());
            if (c.auth().backoff().max().compareTo(c.auth().backoff().initial()) < 0) {
                problem("auth.backoff.max", "must not be below auth.backoff.initial");
            }
        }
        if (c.simulator().enabled()) {
            port("simulator.port", c.simulator().port());
            if (c.simulator().port() == 0) {
                problem("simulator.port", "must be a fixed port when the simulator is enabled, was 0");
            }
        }
    }

    /** One source of the secret: the value (configuration or environment) or a readable file, not both. */
    private void secret(ProxyConfig.Auth auth) {
        boolean value = auth.clientSecret().filter(secret -> !secret.isBlank()).isPresent();
        Optional<String> file = auth.clientSecretFile().filter(path -> !path.isBlank());
        if (!value && file.isEmpty()) {
            problem("auth.client-secret", "(or auth.client-secret-file) is required when auth.mode is client-credentials");
        } else if (value && file.isPresent()) {
            problem("auth.client-secret-file", "must not be set together with auth.client-secret");
        } else if (file.isPresent() && !readable(file.get())) {
            problem("auth.client-secret-file", "cannot be read: '" + file.get() + "'");
        }
    }

    private static boolean readable(String path) {
        try {
            return Files.isRegularFile(Path.of(path)) && Files.isReadable(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private void retry(String prefix, ProxyConfig.RetryKeys r) {
        atLeast(prefix + "max-attempts", r.maxAttempts(), 1);
        statuses(prefix + "statuses", r.statuses());
        methods(prefix + "methods", r.methods());
        positive(prefix + "backoff.initial", r.backoff().initial());
        positive(prefix + "backoff.max", r.backoff().max());
        if (r.backoff().max().compareTo(r.backoff().initial()) < 0) {
            problem(prefix + "backoff.max", "must not be below " + prefix + "backoff.initial");
        }
        nonNegative(prefix + "retry-after.max", r.retryAfter().max());
        nonNegative(prefix + "replay-buffer", r.replayBuffer());
    }

    private void breaker(String prefix, ProxyConfig.BreakerKeys b) {
        statuses(prefix + "statuses", b.statuses());
        atLeast(prefix + "request-volume", b.requestVolume(), 1);
        ratio(prefix + "failure-ratio", b.failureRatio());
        positive(prefix + "delay", b.delay());
        atLeast(prefix + "success-threshold", b.successThreshold(), 1);
    }

    private void area(String prefix, ProxyConfig.Area a) {
        ProxyConfig.Area.AreaRetry r = a.retry();
        r.maxAttempts().ifPresent(v -> atLeast(prefix + "retry.max-attempts", v, 1));
        r.statuses().ifPresent(v -> statuses(prefix + "retry.statuses", v));
        r.methods().ifPresent(v -> methods(prefix + "retry.methods", v));
        r.backoffInitial().ifPresent(v -> positive(prefix + "retry.backoff.initial", v));
        r.backoffMax().ifPresent(v -> positive(prefix + "retry.backoff.max", v));
        r.retryAfterMax().ifPresent(v -> nonNegative(prefix + "retry.retry-after.max", v));
        r.replayBuffer().ifPresent(v -> nonNegative(prefix + "retry.replay-buffer", v));
        ProxyConfig.Area.AreaBreaker b = a.circuitBreaker();
        b.statuses().ifPresent(v -> statuses(prefix + "circuit-breaker.statuses", v));
        b.requestVolume().ifPresent(v -> atLeast(prefix + "circuit-breaker.request-volume", v, 1));
        b.failureRatio().ifPresent(v -> ratio(prefix + "circuit-breaker.failure-ratio", v));
        b.delay().ifPresent(v -> positive(prefix + "circuit-breaker.delay", v));
        b.successThreshold().ifPresent(v -> atLeast(prefix + "circuit-breaker.success-threshold", v, 1));
    }

    private void url(String key, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                problem(key, "must be an absolute http:// or https:// URL, was '" + value + "'");
            } else if (uri.getHost() == null) {
                problem(key, "must name a host, was '" + value + "'");
            } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problem(key, "must not carry a query or fragment, was '" + value + "'");
            }
        } catch (URISyntaxException e) {
            problem(key, "is not a valid URL: " + e.getMessage());
        }
    }

    private void statuses(String key, Set<Integer> statuses) {
        for (int s : statuses) {
            if (s < 100 || s > 599) {
                problem(key, "holds " + s + ", not an HTTP status");
            }
        }
    }

    private void methods(String key, Set<String> methods) {
        for (String m : methods) {
            if (!KNOWN_METHODS.contains(m.trim().toUpperCase(java.util.Locale.ROOT))) {
                problem(key, "holds '" + m + "', not an HTTP method");
            }
        }
    }

    private void port(String key, int port) {
        if (port < 0 || port > 65535) {
            problem(key, "must be between 0 and 65535, was " + port);
        }
    }

    private void positive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            problem(key, "must be a positive duration, was " + d);
        }
    }

    private void nonNegative(String key, Duration d) {
        if (d.isNegative()) {
            problem(key, "must not be negative, was " + d);
        }
    }

    private void positive(String key, MemorySize size) {
        if (size.asLongValue() <= 0) {
            problem(key, "must be a positive size, was " + size.asLongValue());
        }
    }

    private void nonNegative(String key, MemorySize size) {
        if (size.asLongValue() < 0) {
            problem(key, "must not be negative, was " + size.asLongValue());
        }
    }

    private void atLeast(String key, long value, long min) {
        if (value < min) {
            problem(key, "must be at least " + min + ", was " + value);
        }
    }

    private void ratio(String key, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            problem(key, "must be between 0 and 1, was " + value);
        }
    }

    private void present(String key, Optional<String> value) {
        if (value.isEmpty() || value.get().isBlank()) {
            problem(key, "is required when auth.mode is client-credentials");
        }
    }

    private void problem(String key, String what) {
        problems.add("itcare-proxy." + key + " " + what);
    }
}
