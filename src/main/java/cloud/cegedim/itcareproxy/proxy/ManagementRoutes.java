package cloud.cegedim.itcareproxy.proxy;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import cloud.cegedim.itcareproxy.resilience.BreakerSnapshot;
import cloud.cegedim.itcareproxy.resilience.Resilience;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The proxy's own pages on the management port (9000); nothing of the proxy's own is ever served on 8080. */
@Singleton
public class ManagementRoutes {

    /** Looked up per call: the management interface starts before the configuration has been validated. */
    void init(@Observes ManagementInterface management, Instance<Resilience> resilience) {
        management.router().get("/q/circuit-breakers").handler(context -> {
            JsonArray breakers = new JsonArray();
            for (BreakerSnapshot breaker : resilience.get().breakers().snapshot()) {
                breakers.add(new JsonObject()
                        .put("name", breaker.name())
                        .put("state", breaker.state().label())
                        .put("windowCalls", breaker.windowCalls())
                        .put("windowFailures", breaker.windowFailures())
                        .put("windowSize", breaker.windowSize())
                        .put("secondsUntilHalfOpen", breaker.secondsUntilHalfOpen()));
            }
            context.response()
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("breakers", breakers).encode());
        });
    }
}
