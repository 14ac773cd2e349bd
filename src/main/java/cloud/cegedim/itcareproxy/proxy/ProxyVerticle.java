package cloud.cegedim.itcareproxy.proxy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import cloud.cegedim.itcareproxy.auth.TokenSource;
import cloud.cegedim.itcareproxy.config.ProxyConfig;
import cloud.cegedim.itcareproxy.metrics.ExchangeObserver;
import cloud.cegedim.itcareproxy.resilience.Resilience;
import cloud.cegedim.itcareproxy.upstream.UpstreamClient;
import cloud.cegedim.itcareproxy.upstream.UpstreamTarget;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.tracing.TracingPolicy;

/**
 * One event loop's share of the traffic port: its own listening server (Vert.x spreads accepted connections over the
 * instances) and its own upstream pool, so that a request and its upstream connection stay on one thread.
 */
final class ProxyVerticle extends AbstractVerticle {

    private final ProxyConfig config;
    private final ProxySettings settings;
    private final UpstreamTarget target;
    private final int port;
    private final int poolSize;
    private final AtomicInteger inFlight;
    private final AtomicBoolean draining;
    private final Resilience resilience;
    private final TokenSource tokens;
    private final ExchangeObserver observer;
    private HttpServer server;
    private long sweeper;
    private UpstreamClient upstream;

    ProxyVerticle(ProxyConfig config, ProxySettings settings, UpstreamTarget target, int port, int poolSize,
            AtomicInteger inFlight, AtomicBoolean draining, Resilience resilience,
            TokenSource tokens, ExchangeObserver observer) {
        this.config = config;
        this.settings = settings;
        this.target = target;
        this.port = port;
        this.poolSize = poolSize;
        this.inFlight = inFlight;
        this.draining = draining;
        this.resilience = resilience;
        this.tokens = tokens;
        this.observer = observer;
    }

    @Override
    public void start(Promise<Void> started) {
        upstream = new UpstreamClient(vertx, target, config.upstream(), poolSize);
        HttpServerOptions options = serverOptions(config, port);
        ProxyHandler handler = new ProxyHandler(vertx, upstream, settings, resilience, tokens, inFlight, draining,
                observer);
        HeaderDeadline headerDeadline = new HeaderDeadline(config.server().headerTimeout().toNanos());
        sweeper = vertx.setPeriodic(1000, tick -> headerDeadline.sweep(System.nanoTime()));
        server = vertx.createHttpServer(options)
                .connectionHandler(connection -> {
                    strictDecoder(connection, options);
                    headerDeadline.watch(connection);
                })
                .invalidRequestHandler(handler::invalid)
                .requestHandler(handler);
        server.listen().<Void> mapEmpty().onComplete(started);
    }

    @Override
    public void stop(Promise<Void> stopped) {
        vertx.cancelTimer(sweeper);
        server.close().eventually(() -> upstream.close()).onComplete(stopped);
    }

    int actualPort() {
        return server.actualPort();
    }

    static HttpServerOptions serverOptions(ProxyConfig config, int port) {
        return new HttpServerOptions()
                .setHost(config.server().host())
                .setPort(port)
                .setMaxHeaderSize((int) config.limits().maxHeaderSize().asLongValue())
                .setMaxInitialLineLength((int) config.limits().maxRequestLine().asLongValue())
                .setIdleTimeout((int) config.server().idleTimeout().toSeconds())
                .setTcpNoDelay(true)
                // HTTP/1.1 only: no h2c upgrade sniffing, so that the pipeline (and the strict decoder below) is in
                // place before the first byte is read.
                .setHttp2ClearTextEnabled(false)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                // The proxy answers 100-continue itself, once the gate has let the request through.
                .setHandle100ContinueAutomatically(false)
                // Its spans are its own (tracing.OtelExchangeTracer): a Vert.x tracer, when Quarkus installs one,
                // never sees this server, so it neither costs time nor records raw paths.
                .setTracingPolicy(TracingPolicy.IGNORE);
    }

    /** Runs at channel initialisation, before any byte is decoded (h2c being off). */
    private static void strictDecoder(HttpConnection connection, HttpServerOptions options) {
        if (connection instanceof Http1xServerConnection http1) {
            var pipeline = http1.channelHandlerContext().pipeline();
            if (pipeline.get(StrictRequestDecoder.NAME) != null) {
                pipeline.replace(StrictRequestDecoder.NAME, StrictRequestDecoder.NAME, new StrictRequestDecoder(options));
            }
        }
    }
}
