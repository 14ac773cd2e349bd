package cloud.cegedim.itcareproxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.metrics.ExchangeObserver;
import cloud.cegedim.itcareproxy.upstream.Outcome;
import cloud.cegedim.itcareproxy.upstream.UpstreamTarget;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.MultiMap;

/** The tracer's edge cases, on a plain SDK with the W3C propagator: no Quarkus, no HTTP. */
class OtelExchangeTracerTest {

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final OtelExchangeTracer tracer = new OtelExchangeTracer(OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build(), UpstreamTarget.of("https://api.example.test/itcare"));

    @Test
    void anInvalidTraceparentStartsANewTraceAndItsTracestateIsNotForwarded() {
        MultiMap client = MultiMap.caseInsensitiveMultiMap()
                .add("traceparent", "00-not-a-trace-01").add("tracestate", "vendor=x");
        MultiMap upstream = MultiMap.caseInsensitiveMultiMap().addAll(client);

        ExchangeSpan exchange = tracer.start(client, "GET", "/actions/{id}", "r1");
        AttemptSpan attempt = exchange.attempt(1);
        attempt.inject(upstream);
        attempt.end(new Outcome.Answered(200, MultiMap.caseInsensitiveMultiMap(), null));
        exchange.end(completed(200, 1));

        SpanData server = spans.getFinishedSpanItems().get(1);
        SpanData sent = spans.getFinishedSpanItems().get(0);
        assertThat(server.getParentSpanId()).isEqualTo(SpanId.getInvalid());
        assertThat(upstream.getAll("traceparent"))
                .containsExactly("00-" + server.getTraceId() + "-" + sent.getSpanId() + "-01");
        assertThat(upstream.get("tracestate")).isNull();
    }

    @Test
    void anUnknownMethodIsOtherAndTheSpanIsNamedHttp() {
        tracer.start(MultiMap.caseInsensitiveMultiMap(), "PROPFIND", "/storage", "r2").end(completed(405, 0));

        SpanData server = spans.getFinishedSpanItems().get(0);
        assertThat(server.getName()).isEqualTo("HTTP /storage");
        assertThat(server.getAttributes().get(OtelExchangeTracer.METHOD)).isEqualTo("_OTHER");
    }

    @Test
    void eachOutcomeHasItsErrorType() {
        MultiMap none = MultiMap.caseInsensitiveMultiMap();
        assertThat(OtelExchangeTracer.errorType(new Outcome.Answered(204, none, null))).isNull();
        assertThat(OtelExchangeTracer.errorType(new Outcome.Answered(404, none, null))).isEqualTo("404");
        assertThat(OtelExchangeTracer.errorType(new Outcome.ConnectFailed(new ConnectException()))).isEqualTo("connect_error");
        assertThat(OtelExchangeTracer.errorType(new Outcome.Reset(new IOException()))).isEqualTo("reset");
        assertThat(OtelExchangeTracer.errorType(new Outcome.TimedOut(Outcome.Deadline.TRY))).isEqualTo("timeout");
        assertThat(OtelExchangeTracer.errorType(new Outcome.Rejected(Outcome.Rejection.REQUEST_TOO_LARGE, "big")))
                .isEqualTo("request_too_large");
        assertThat(OtelExchangeTracer.errorType(new Outcome.Rejected(Outcome.Rejection.CLIENT_GONE, "gone")))
                .isEqualTo("client_gone");
    }

    @Test
    void theClientSpanDescribesTheConfiguredUpstream() {
        ExchangeSpan exchange = tracer.start(MultiMap.caseInsensitiveMultiMap(), "PUT", "/compute/instances/{id}", "r3");
        exchange.attempt(3).end(new Outcome.Reset(new IOException()));

        SpanData attempt = spans.getFinishedSpanItems().get(0);
        assertThat(attempt.getAttributes().get(OtelExchangeTracer.SERVER_ADDRESS)).isEqualTo("api.example.test");
        assertThat(attempt.getAttributes().get(OtelExchangeTracer.SERVER_PORT)).isEqualTo(443L);
        assertThat(attempt.getAttributes().get(OtelExchangeTracer.SCHEME)).isEqualTo("https");
        assertThat(attempt.getAttributes().get(OtelExchangeTracer.RESEND_COUNT)).isEqualTo(2L);
        assertThat(attempt.getAttributes().get(OtelExchangeTracer.ERROR_TYPE)).isEqualTo("reset");
    }

    private static ExchangeObserver.Completed completed(int status, int attempts) {
        return new ExchangeObserver.Completed("r", "GET", "/route", "other", status, null, null, attempts, 0, 0, true);
    }
}
