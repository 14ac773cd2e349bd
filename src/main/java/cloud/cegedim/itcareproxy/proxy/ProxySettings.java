package cloud.cegedim.itcareproxy.proxy;

import java.time.Duration;

import cloud.cegedim.itcareproxy.config.ProxyConfig;

/** What the hot path reads of the configuration, computed once at start-up. */
record ProxySettings(RequestGate gate, long maxErrorBody, int maxConcurrentRequests, Duration tryTimeout,
        Duration requestTimeout) {

    static ProxySettings of(ProxyConfig config) {
        return new ProxySettings(
                new RequestGate(config.limits().maxRequestBody().asLongValue()),
                config.limits().maxErrorBody().asLongValue(),
                config.limits().maxConcurrentRequests(),
                config.upstream().tryTimeout(),
                config.upstream().requestTimeout());
    }
}
