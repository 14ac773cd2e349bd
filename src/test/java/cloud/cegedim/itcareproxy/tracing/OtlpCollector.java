package cloud.cegedim.itcareproxy.tracing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import cloud.cegedim.itcareproxy.support.FakeUpstream;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A fake OpenTelemetry collector: an OTLP/HTTP endpoint on a dynamic loopback port that keeps every export request
 * (path, content type, protobuf body) and answers an empty, successful export response. The proxy's OTLP exporter is
 * pointed at it with the same runtime keys an operator sets.
 */
public final class OtlpCollector implements QuarkusTestResourceLifecycleManager {

    /** Marks the test field that receives the running collector. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Collector {
    }

    /** One export request as received. */
    public record Export(String path, String contentType, byte[] body) {
    }

    private final ConcurrentLinkedQueue<Export> exports = new ConcurrentLinkedQueue<>();
    private Vertx vertx;
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        server = FakeUpstream.join(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            exports.add(new Export(request.path(), request.getHeader("Content-Type"), body.getBytes()));
            request.response().putHeader("Content-Type", "application/x-protobuf").end();
        })).listen(0, "127.0.0.1"));
        return Map.of(
                "quarkus.otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:" + server.actualPort(),
                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
    }

    public List<Export> exports() {
        return List.copyOf(exports);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(Collector.class, OtlpCollector.class));
    }

    @Override
    public void stop() {
        if (vertx != null) {
            FakeUpstream.join(vertx.close());
        }
    }
}
