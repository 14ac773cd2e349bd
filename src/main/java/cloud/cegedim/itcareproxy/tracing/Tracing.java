package cloud.cegedim.itcareproxy.tracing;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import cloud.cegedim.itcareproxy.upstream.UpstreamTarget;
import io.opentelemetry.api.OpenTelemetry;

/**
 * Tracing on or off, decided once at start-up by Quarkus's runtime key {@code quarkus.otel.sdk.disabled} (true by
 * default in application.properties): when it is on, the proxy's spans go wherever {@code quarkus.otel.*} sends them
 * (OTLP by default). Off, no OpenTelemetry object is even looked up and Quarkus gives Vert.x no tracer.
 */
@Singleton
public class Tracing {

    private final boolean enabled;
    private final Instance<OpenTelemetry> openTelemetry;

    Tracing(@ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean sdkDisabled,
            Instance<OpenTelemetry> openTelemetry) {
        this.enabled = !sdkDisabled;
        this.openTelemetry = openTelemetry;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The tracer of the traffic port, whose client spans describe calls to {@code target}. */
    public ExchangeTracer tracer(UpstreamTarget target) {
        return enabled ? new OtelExchangeTracer(openTelemetry.get(), target) : ExchangeTracer.OFF;
    }
}
