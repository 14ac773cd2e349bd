package cloud.cegedim.itcareproxy.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code itcare-proxy.access-log.*}: the access log's own key, beside the {@code ProxyConfig} root. */
@ConfigMapping(prefix = "itcare-proxy.access-log")
public interface AccessLogConfig {

    /**
     * One line per request in the logger category {@code itcare-proxy.access} at INFO; {@code false} turns it off
     * (so does raising that category's level above INFO).
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * {@code false} (the default): with the JSON console in its default shape, the proxy renders each line itself and
     * writes it straight to standard output; {@code true}: every line goes through Quarkus logging as a record, to
     * whatever handlers are configured (a file, syslog), at a higher cost per request. The text console, and a JSON
     * console whose shape is configured, always go through logging.
     */
    @WithDefault("false")
    boolean throughLogging();
}
