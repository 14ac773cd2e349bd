package cloud.cegedim.itcareproxy.resilience;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import cloud.cegedim.itcareproxy.config.ProxyConfig;
import io.quarkus.arc.DefaultBean;

/**
 * Builds the resilience objects where CDI runs (SmallRye's guards need it), once. Whoever counts the events (the
 * metrics) provides its own {@link ResilienceEvents} bean, which replaces the silent default.
 */
@Singleton
public class ResilienceBeans {

    @Produces
    @Singleton
    Resilience resilience(ProxyConfig config, ResilienceEvents events) {
        return Resilience.from(config, events);
    }

    @Produces
    @Singleton
    @DefaultBean
    ResilienceEvents silentEvents() {
        return ResilienceEvents.NOOP;
    }
}
