package cloud.cegedim.itcareproxy.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every knob of the proxy, under the prefix {@code itcare-proxy.}. The names are part of the contract users rely on
 * (see the README's configuration table): add keys freely, rename none. Values are checked at start-up by
 * {@link ConfigValidation}, which names the offending key.
 */
@ConfigMapping(prefix = "itcare-proxy")
public interface ProxyConfig {

    /** Where the traffic port listens. */
    Server server();

    /** The ITCare API the proxy forwards to. */
    Upstream upstream();

    /** Sizes and counts beyond which a request is refused. */
    Limits limits();

    /** When and how a failed attempt is tried again. */
    Retry retry();

    /** The circuit breakers that stop calls to a failing area. */
    CircuitBreaker circuitBreaker();

    /** Per-area overrides of the retry and circuit-breaker keys, keyed by the first path segment ({@code compute}). */
    Map<String, Area> areas();

    /** Metric label limits. */
    Metrics metrics();

    /** Who authenticates to ITCare. */
    Auth auth();

    /** The embedded ITCare simulator. */
    Simulator simulator();

    interface Server {
        /** Traffic port; 0 picks a free port (tests). */
        @WithDefault("8080")
        int port();

        /** Interface the traffic port binds to. */
        @WithDefault("0.0.0.0")
        String host();

        /** Idle keep-alive connections from clients are closed after this long; 0 never closes them. */
        @WithDefault("60s")
        Duration idleTimeout();

        /**
         * Time allowed for a request's whole header section, from its first byte to its last: a client that trickles
         * it (slowloris) is disconnected. Idle connections between requests are left to {@code idle-timeout}.
         */
        @WithDefault("10s")
        Duration headerTimeout();

        /**
         * On shutdown (SIGTERM), how long requests in flight may take to finish before the traffic port closes; new
         * requests are still served meanwhile, with {@code Connection: close}.
         */
        @WithDefault("20s")
        Duration drainTimeout();
    }

    interface Upstream {
        /** Base URL of ITCare; the request's path and query are appended to it. */
        @WithDefault("https://api.cegedim.cloud/itcare")
        String url();

        /** TCP and TLS connect time allowed per attempt. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Time allowed for one attempt until the response headers arrive. */
        @WithDefault("10s")
        Duration tryTimeout();

        /** Time allowed for the whole request, retries and back-off included, until the response headers arrive. */
        @WithDefault("30s")
        Duration requestTimeout();

        /**
         * How long a pooled upstream connection may stay unused before the proxy closes it; keep it below the idle
         * timeout of whatever sits in front of ITCare, so that no request is sent on a connection being closed. Whole
         * seconds, at least one.
         */
        @WithDefault("30s")
        Duration keepAliveTimeout();

        /** Pooled keep-alive connections to the upstream, per event loop. */
        @WithDefault("200")
        int maxConnections();

        /** Verify the upstream's TLS certificate and host name. Turning it off is logged loudly at start-up. */
        @WithDefault("true")
        boolean verifyTls();
    }

    interface Limits {
        /** Request bodies larger than this are refused with 413 REQUEST_TOO_LARGE. */
        @WithDefault("10M")
        MemorySize maxRequestBody();

        /** Upstream error bodies larger than this are not inspected; the envelope gets its defaults. */
        @WithDefault("64K")
        MemorySize maxErrorBody();

        /** Requests in flight beyond this count are refused with 503 PROXY_OVERLOADED. */
        @WithDefault("10000")
        int maxConcurrentRequests();

        /** The whole request header section; larger gets 431 HEADERS_TOO_LARGE. */
        @WithDefault("16K")
        MemorySize maxHeaderSize();

        /** The request line (method, target, version); longer gets 414 URI_TOO_LONG. */
        @WithDefault("8K")
        MemorySize maxRequestLine();
    }

    interface Retry extends RetryKeys {
        /** Retries may add at most this share of the requests seen over the last 10 s, on top of the floor below. */
        Budget budget();

        interface Budget {
            /** Share of requests (0 to 1) that retries may add over a 10 s window. */
            @WithDefault("0.2")
            double ratio();

            /** Retries per second always allowed, whatever the ratio says. */
            @WithDefault("10")
            int minPerSecond();
        }
    }

    /** The retry keys that an area may override. */
    interface RetryKeys {
        /** Retries at all. */
        @WithDefault("true")
        boolean enabled();

        /** Attempts in all, the first included. */
        @WithDefault("3")
        int maxAttempts();

        /** Upstream statuses that may be retried. */
        @WithDefault("500,503")
        Set<Integer> statuses();

        /** Methods retried on those statuses, on resets and on try timeouts; connect errors are retried for all. */
        @WithDefault("GET,HEAD,OPTIONS,PUT,DELETE")
        Set<String> methods();

        /** Full-jitter exponential back-off. */
        Backoff backoff();

        /** How an upstream {@code Retry-After} is honoured. */
        RetryAfter retryAfter();

        /** Request bodies up to this size are kept for replay; larger ones stream and are not retried. */
        @WithDefault("1M")
        MemorySize replayBuffer();

        interface Backoff {
            /** Base of the exponential back-off. */
            @WithDefault("100ms")
            Duration initial();

            /** Cap of the back-off. */
            @WithDefault("2s")
            Duration max();
        }

        interface RetryAfter {
            /** A longer upstream {@code Retry-After} is not waited for: the answer goes back to the client. */
            @WithDefault("10s")
            Duration max();
        }
    }

    interface CircuitBreaker extends BreakerKeys {
        /** What one breaker covers: the area (first path segment), the templated route, or everything. */
        @WithDefault("area")
        BreakerScope scope();
    }

    /** The circuit-breaker keys that an area may override. */
    interface BreakerKeys {
        /** Circuit breaking at all. */
        @WithDefault("true")
        boolean enabled();

        /** Upstream statuses counted as failures, besides connect errors, resets and timeouts. */
        @WithDefault("500,503")
        Set<Integer> statuses();

        /** Size of the rolling window of calls. */
        @WithDefault("20")
        int requestVolume();

        /** Share of failures in the window (0 to 1) that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** Time the breaker stays open before letting probes through. */
        @WithDefault("5s")
        Duration delay();

        /** Successful probes needed to close it again. */
        @WithDefault("2")
        int successThreshold();
    }

    enum BreakerScope {
        AREA, ROUTE, GLOBAL
    }

    /** Overrides for one area; every key absent falls back to the global one. */
    interface Area {
        AreaRetry retry();

        @WithName("circuit-breaker")
        AreaBreaker circuitBreaker();

        interface AreaRetry {
            Optional<Boolean> enabled();

            Optional<Integer> maxAttempts();

            Optional<Set<Integer>> statuses();

            Optional<Set<String>> methods();

            @WithName("backoff.initial")
            Optional<Duration> backoffInitial();

            @WithName("backoff.max")
            Optional<Duration> backoffMax();

            @WithName("retry-after.max")
            Optional<Duration> retryAfterMax();

            Optional<MemorySize> replayBuffer();
        }

        interface AreaBreaker {
            Optional<Boolean> enabled();

            Optional<Set<Integer>> statuses();

            Optional<Integer> requestVolume();

            Optional<Double> failureRatio();

            Optional<Duration> delay();

            Optional<Integer> successThreshold();
        }
    }

    interface Metrics {
        /** Distinct {@code route} label values; further routes are counted as {@code other}. */
        @WithDefault("200")
        int maxRoutes();
    }

    interface Auth {
        /** {@code passthrough}: the client's Authorization goes upstream; {@code client-credentials}: the proxy's token does. */
        @WithDefault("passthrough")
        AuthMode mode();

        /** OAuth2 token endpoint for client-credentials mode. */
        @WithDefault("https://accounts.cegedim.cloud/auth/realms/cloud/protocol/openid-connect/token")
        String tokenUrl();

        /** Client id for client-credentials mode. */
        Optional<String> clientId();

        /** Client secret for client-credentials mode (or the environment variable {@code ITCARE_PROXY_AUTH_CLIENT_SECRET}). */
        Optional<String> clientSecret();

        /**
         * A file holding the client secret instead of {@code client-secret}, such as a mounted Kubernetes Secret. It is
         * read again before every token request, so a rotated secret is used without a restart; surrounding white
         * space (a trailing newline) is ignored.
         */
        Optional<String> clientSecretFile();

        /**
         * A token is refreshed in the background, calls still using it meanwhile, once less than this much of its life
         * is left, or a fifth of its life if that is more; never before half of its life has passed.
         */
        @WithDefault("60s")
        Duration refreshMargin();

        /** Time allowed for one token request, reading the secret file included. */
        @WithDefault("10s")
        Duration tokenTimeout();

        /** Spacing of token requests after failures: calls fail fast with TOKEN_UNAVAILABLE in between. */
        AuthBackoff backoff();

        interface AuthBackoff {
            /** Wait after the first failure (between half and all of it, at random); it doubles with each failure. */
            @WithDefault("100ms")
            Duration initial();

            /** Cap of the wait between two token requests. */
            @WithDefault("30s")
            Duration max();
        }
    }

    enum AuthMode {
        PASSTHROUGH, CLIENT_CREDENTIALS
    }

    interface Simulator {
        /** Start the embedded ITCare simulator and send traffic to it instead of {@code upstream.url}. */
        @WithDefault("false")
        boolean enabled();

        /** Port of the simulator. */
        @WithDefault("8089")
        int port();
    }

    /** The simulator's ITCare base URL, used instead of {@code upstream.url} when the simulator is enabled. */
    static String simulatorUrl(int port) {
        return "http://127.0.0.1:" + port + "/itcare";
    }
}
