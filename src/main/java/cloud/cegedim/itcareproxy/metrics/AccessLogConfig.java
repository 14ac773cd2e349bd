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
}
