package cloud.cegedim.itcareproxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.proxy.ProxyServer;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) is end-to-end while tracing is off, the default: the proxy
 * is then no tracing participant (no span, no Vert.x tracer), so both headers cross it unchanged, on the way up and on
 * the way back. With tracing on, {@code tracing.TracingTest} shows the re-parenting instead.
 */
@QuarkusTest
@TestProfile(MetricsExportTest.FastRetries.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class TraceContextTest {

    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final String TRACESTATE = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
    static final String UPSTREAM_TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";
    static final String UPSTREAM_TRACESTATE = "itcare=a1b2c3";

    @UpstreamResource.Upstream
    FakeUpstream upstream;

    @Inject
    ProxyServer proxy;

    @Inject
    InMemorySpanExporter spans;

    @Inject
    Vertx vertx;

    ProxyClient client;

    @BeforeEach
    void setUp() {
        upstream.reset();
        client = new ProxyClient(proxy.port());
    }

    @Test
    void theClientsTraceContextReachesTheUpstreamUnchanged() {
        HttpResponse<String> response = client.get("/compute/instances", "traceparent", TRACEPARENT, "tracestate",
                TRACESTATE);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.last().headers().getAll("traceparent")).containsExactly(TRACEPARENT);
        assertThat(upstream.last().headers().getAll("tracestate")).containsExactly(TRACESTATE);
    }

    @Test
    void theUpstreamsTraceContextReachesTheClientUnchanged() {
        upstream.answer(request -> request.response().putHeader("traceparent", UPSTREAM_TRACEPARENT)
                .putHeader("tracestate", UPSTREAM_TRACESTATE).end("{}"));

        HttpResponse<String> response = client.get("/compute/instances", "traceparent", TRACEPARENT);

        assertThat(response.headers().allValues("traceparent")).containsExactly(UPSTREAM_TRACEPARENT);
        assertThat(response.headers().allValues("tracestate")).containsExactly(UPSTREAM_TRACESTATE);
    }

    @Test
    void noTraceContextIsInventedWhenTheClientSentNone() {
        assertThat(client.get("/compute/instances").statusCode()).isEqualTo(200);

        assertThat(upstream.last().header("traceparent")).isNull();
        assertThat(upstream.last().header("tracestate")).isNull();
    }

    @Test
    void tracingOffMakesNoSpanAndLeavesVertxWithoutATracer() {
        assertThat(client.get("/compute/instances/12", "traceparent", TRACEPARENT).statusCode()).isEqualTo(200);

        // No tracer: no Vert.x server or client anywhere in the proxy does tracing work per request.
        assertThat(((VertxInternal) vertx).tracer()).isNull();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
        assertThat(upstream.last().headers().getAll("traceparent")).containsExactly(TRACEPARENT);
    }
}
