package cloud.cegedim.itcareproxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.proxy.ProxyServer;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;

/**
 * Tracing switched on at run time, as an operator would (the SDK enabled), against a real upstream: one server span per
 * request under the client's trace, one client span per attempt, the upstream re-parented on the client span,
 * templated names, and nothing of the path's ids, the query or the credentials in any span. Spans are read from the
 * in-memory exporter; {@link OtlpExportTest} follows them to a collector.
 */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class TracingTest {

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.bsp.schedule.delay", "20ms",
                    "itcare-proxy.retry.backoff.initial", "5ms",
                    "itcare-proxy.retry.backoff.max", "20ms",
                    "itcare-proxy.circuit-breaker.enabled", "false");
        }
    }

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CLIENT_SPAN_ID = "00f067aa0ba902b7";
    static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CLIENT_SPAN_ID + "-01";
    static final String TRACESTATE = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
    static final String ID = "500061854";
    static final String QUERY_VALUE = "q7x9secretish";
    static final String TOKEN = "t0ken-never-in-a-span";
    static final Duration EXPORTED = Duration.ofSeconds(20);

    @UpstreamResource.Upstream
    FakeUpstream upstream;

    @Inject
    ProxyServer proxy;

    @Inject
    InMemorySpanExporter spans;

    @Inject
    Vertx vertx;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    ProxyClient client;

    @BeforeEach
    void setUp() {
        upstream.reset();
        spans.reset();
        client = new ProxyClient(proxy.port());
    }

    @Test
    void aRequestIsAServerSpanUnderTheClientsTraceAndTheUpstreamIsParentedOnTheClientSpan() {
        HttpResponse<String> response = client.get("/compute/instances/" + ID + "?page=0&filter=" + QUERY_VALUE,
                "traceparent", TRACEPARENT, "tracestate", TRACESTATE, "Authorization", "Bearer " + TOKEN,
                "X-Request-Id", "req-42");

        assertThat(response.statusCode()).isEqualTo(200);
        List<SpanData> trace = awaitTrace(TRACE_ID, 2);
        SpanData server = only(trace, SpanKind.SERVER);
        SpanData attempt = only(trace, SpanKind.CLIENT);

        assertThat(server.getName()).isEqualTo("GET /compute/instances/{id}");
        assertThat(server.getParentSpanId()).isEqualTo(CLIENT_SPAN_ID);
        assertThat(server.getAttributes().asMap()).containsOnly(
                Map.entry(OtelExchangeTracer.METHOD, "GET"),
                Map.entry(OtelExchangeTracer.ROUTE, "/compute/instances/{id}"),
                Map.entry(OtelExchangeTracer.SCHEME, "http"),
                Map.entry(OtelExchangeTracer.REQUEST_ID, "req-42"),
                Map.entry(OtelExchangeTracer.STATUS, 200L),
                Map.entry(OtelExchangeTracer.ATTEMPTS, 1L));
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        assertThat(attempt.getName()).isEqualTo("GET /compute/instances/{id}");
        assertThat(attempt.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(attempt.getAttributes().asMap()).containsOnly(
                Map.entry(OtelExchangeTracer.METHOD, "GET"),
                Map.entry(OtelExchangeTracer.URL_TEMPLATE, "/compute/instances/{id}"),
                Map.entry(OtelExchangeTracer.SCHEME, "http"),
                Map.entry(OtelExchangeTracer.SERVER_ADDRESS, "127.0.0.1"),
                Map.entry(OtelExchangeTracer.SERVER_PORT, (long) upstream.port()),
                Map.entry(OtelExchangeTracer.STATUS, 200L));

        FakeUpstream.Received received = upstream.last();
        assertThat(received.uri()).isEqualTo("/itcare/compute/instances/" + ID + "?page=0&filter=" + QUERY_VALUE);
        assertThat(received.headers().getAll("traceparent"))
                .containsExactly("00-" + TRACE_ID + "-" + attempt.getSpanId() + "-01");
        assertThat(received.headers().getAll("tracestate")).containsExactly(TRACESTATE);
        assertThat(received.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertNothingSecretIn(trace);
    }

    @Test
    void eachRetryIsAClientSpanOfItsOwnAndTheUpstreamSeesEachOne() {
        upstream.script(FakeUpstream.status(503), FakeUpstream.status(200));

        HttpResponse<String> response = client.get("/compute/instances/" + ID + "/networks", "traceparent",
                TRACEPARENT);

        assertThat(response.statusCode()).isEqualTo(200);
        List<SpanData> trace = awaitTrace(TRACE_ID, 3);
        SpanData server = only(trace, SpanKind.SERVER);
        List<SpanData> attempts = trace.stream().filter(span -> span.getKind() == SpanKind.CLIENT)
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();

        assertThat(server.getName()).isEqualTo("GET /compute/instances/{id}/networks");
        assertThat(server.getAttributes().get(OtelExchangeTracer.ATTEMPTS)).isEqualTo(2L);
        assertThat(attempts).hasSize(2).allSatisfy(attempt -> {
            assertThat(attempt.getName()).isEqualTo("GET /compute/instances/{id}/networks");
            assertThat(attempt.getParentSpanId()).isEqualTo(server.getSpanId());
        });
        SpanData failed = attempts.get(0);
        SpanData retried = attempts.get(1);
        assertThat(failed.getAttributes().get(OtelExchangeTracer.STATUS)).isEqualTo(503L);
        assertThat(failed.getAttributes().get(OtelExchangeTracer.ERROR_TYPE)).isEqualTo("503");
        assertThat(failed.getAttributes().get(OtelExchangeTracer.RESEND_COUNT)).isNull();
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(retried.getAttributes().get(OtelExchangeTracer.STATUS)).isEqualTo(200L);
        assertThat(retried.getAttributes().get(OtelExchangeTracer.RESEND_COUNT)).isEqualTo(1L);
        assertThat(retried.getAttributes().get(OtelExchangeTracer.ERROR_TYPE)).isNull();

        assertThat(upstream.received()).extracting(received -> received.header("traceparent")).containsExactly(
                "00-" + TRACE_ID + "-" + failed.getSpanId() + "-01",
                "00-" + TRACE_ID + "-" + retried.getSpanId() + "-01");
        assertNothingSecretIn(trace);
    }

    @Test
    void aRequestWithoutTraceContextStartsATraceThatTheUpstreamJoins() {
        assertThat(client.get("/compute/instances").statusCode()).isEqualTo(200);

        String traceparent = upstream.last().header("traceparent");
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        String traceId = traceparent.substring(3, 35);
        List<SpanData> trace = awaitTrace(traceId, 2);
        SpanData server = only(trace, SpanKind.SERVER);
        assertThat(server.getParentSpanId()).isEqualTo(SpanId.getInvalid());
        assertThat(server.getName()).isEqualTo("GET /compute/instances");
        assertThat(only(trace, SpanKind.CLIENT).getSpanId()).isEqualTo(traceparent.substring(36, 52));
        assertThat(upstream.last().header("tracestate")).isNull();
    }

    @Test
    void aProxyErrorIsAnErrorServerSpanWithItsCode() {
        upstream.answer(FakeUpstream.status(502));

        HttpResponse<String> response = client.get("/databases/postgresql/12", "traceparent", TRACEPARENT);

        assertThat(response.statusCode()).isEqualTo(502);
        SpanData server = only(awaitTrace(TRACE_ID, 2), SpanKind.SERVER);
        assertThat(server.getName()).isEqualTo("GET /databases/postgresql/{id}");
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(server.getAttributes().get(OtelExchangeTracer.ERROR_TYPE)).isEqualTo("502");
        assertThat(server.getAttributes().get(OtelExchangeTracer.ERROR_CODE)).isEqualTo("BAD_GATEWAY");
        assertThat(server.getAttributes().get(OtelExchangeTracer.ORIGIN)).isEqualTo("upstream");
    }

    @Test
    void managementEndpointsMakeNoSpan() throws Exception {
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(ready.toURI()).build());
        HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(metrics.toURI()).build());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(scrape.statusCode()).isEqualTo(200);

        // A proxied request afterwards: once its spans are exported, anything the management calls made would be too.
        assertThat(client.get("/compute/instances", "traceparent", TRACEPARENT).statusCode()).isEqualTo(200);
        awaitTrace(TRACE_ID, 2);
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getTraceId).containsOnly(TRACE_ID);
    }

    @Test
    void vertxHasATracerThatTheTrafficPortNeverCalls() {
        // The tracer exists (the SDK is on), yet the upstream saw only the proxy's own traceparent (the tests above):
        // the traffic server and the upstream client run with TracingPolicy.IGNORE.
        assertThat(((VertxInternal) vertx).tracer()).isNotNull();
    }

    private List<SpanData> awaitTrace(String traceId, int count) {
        FakeUpstream.await(EXPORTED, () -> ofTrace(traceId).size() >= count
                && ofTrace(traceId).stream().anyMatch(span -> span.getKind() == SpanKind.SERVER));
        List<SpanData> trace = ofTrace(traceId);
        assertThat(trace).hasSize(count);
        return trace;
    }

    private List<SpanData> ofTrace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    private static SpanData only(List<SpanData> trace, SpanKind kind) {
        List<SpanData> found = trace.stream().filter(span -> span.getKind() == kind).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** No span name or attribute value holds the raw id, the query, the token or the Authorization header. */
    private static void assertNothingSecretIn(List<SpanData> trace) {
        for (SpanData span : trace) {
            assertThat(span.getName()).doesNotContain(ID, "?", QUERY_VALUE);
            span.getAttributes().forEach((key, value) -> assertThat(String.valueOf(value))
                    .as("attribute %s of %s", key, span.getName())
                    .doesNotContain(ID, "?", "page=", QUERY_VALUE, TOKEN, "Bearer"));
            assertThat(span.getAttributes().asMap().keySet()).extracting(key -> key.getKey())
                    .doesNotContain("url.full", "url.path", "url.query", "http.target", "http.url",
                            "http.request.header.authorization");
        }
    }
}
