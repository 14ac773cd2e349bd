package cloud.cegedim.itcareproxy.proxy;

import java.time.Duration;

import cloud.cegedim.itcareproxy.config.ProxyConfig;
import cloud.cegedim.itcareproxy.metrics.RouteTemplates;
import cloud.cegedim.itcareproxy.tracing.ExchangeTracer;

/** What the hot path reads of the configuration, computed once at start-up. */
record ProxySettings(RequestGate gate, RouteTemplates routes, long maxErrorBody, int maxConcurrentRequests,
        Duration tryTimeout, Duration requestTimeout, ExchangeTracer tracer) {

    static ProxySettings of(ProxyConfig config, ExchangeTracer tracer) {
        return new ProxySettings(
                new RequestGate(config.limits().maxRequestBody().asLongValue()),
                new RouteTemplates(config.metrics().maxRoutes(), config.areas().keySet()),
                config.limits().maxErrorBody().asLongValue(),
                config.limits().maxConcurrentRequests(),
                config.upstream().tryTimeout(),
                config.upstream().requestTimeout(),
                tracer);
    }
}
