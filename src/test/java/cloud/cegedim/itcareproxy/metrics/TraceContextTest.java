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
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) is end-to-end: the proxy is not a tracing participant
 * (no OpenTelemetry on the traffic path), so both headers cross it unchanged, on the way up and on the way back.
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
}
