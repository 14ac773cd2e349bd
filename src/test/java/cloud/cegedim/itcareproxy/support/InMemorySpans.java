package cloud.cegedim.itcareproxy.support;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.arc.lookup.LookupIfProperty;

/**
 * Every test application has this span exporter (Quarkus's {@code cdi} trace exporter takes every {@code SpanExporter}
 * bean it can look up): with tracing on it holds each exported span; with tracing off it stays empty. While it can be
 * looked up Quarkus leaves its own OTLP exporter out, so a test of the OTLP path sets {@value #LOOKUP} to false.
 */
@Singleton
public class InMemorySpans {

    public static final String LOOKUP = "itcare-proxy-test.in-memory-spans";

    @Produces
    @Singleton
    @Unremovable
    @LookupIfProperty(name = LOOKUP, stringValue = "true", lookupIfMissing = true)
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
