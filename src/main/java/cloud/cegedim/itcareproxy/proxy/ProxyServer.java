package cloud.cegedim.itcareproxy.proxy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import cloud.cegedim.itcareproxy.auth.TokenSource;
import cloud.cegedim.itcareproxy.config.ConfigValidation;
import cloud.cegedim.itcareproxy.config.ProxyConfig;
import cloud.cegedim.itcareproxy.metrics.ExchangeObserver;
import cloud.cegedim.itcareproxy.resilience.Resilience;
import cloud.cegedim.itcareproxy.tracing.Tracing;
import cloud.cegedim.itcareproxy.upstream.UpstreamTarget;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;

/**
 * The traffic port. It is a plain Vert.x server rather than Quarkus's HTTP server (which is switched off; management
 * stays on Quarkus's port 9000) because the proxy must answer in ITCare's envelope even for requests Netty cannot decode
 * (oversized header sections, broken {@code Content-Length}, smuggling shapes), which needs the server's
 * invalid-request handler and its decoder; and because the proxy's hot path is then one handler, with no router, no
 * body handler and no per-request routing context.
 */
@ApplicationScoped
public class ProxyServer {

    private static final Logger LOG = Logger.getLogger(ProxyServer.class);

    private final Vertx vertx;
    private final ProxyConfig config;
    private final jakarta.enterprise.inject.Instance<Resilience> resilience;
    private final jakarta.enterprise.inject.Instance<ExchangeObserver> observers;
    private final jakarta.enterprise.inject.Instance<TokenSource> tokens;
    private final Tracing tracing;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile int port = -1;
    private volatile String deployment;

    ProxyServer(Vertx vertx, ProxyConfig config, jakarta.enterprise.inject.Instance<Resilience> resilience,
            @jakarta.enterprise.inject.Any jakarta.enterprise.inject.Instance<ExchangeObserver> observers,
            jakarta.enterprise.inject.Instance<TokenSource> tokens, Tracing tracing) {
        this.vertx = vertx;
        this.config = config;
        this.resilience = resilience;
        this.observers = observers;
        this.tokens = tokens;
        this.tracing = tracing;
    }

    /** Every observer bean (metrics, access log), called in turn; resolved once, at start-up. */
    private ExchangeObserver observers() {
        ExchangeObserver[] all = observers.stream().toArray(ExchangeObserver[]::new);
        if (all.length == 0) {
            return ExchangeObserver.NONE;
        }
        if (all.length == 1) {
            return all[0];
        }
        return completed -> {
            for (ExchangeObserver observer : all) {
                observer.completed(completed);
            }
        };
    }

    void start(@Observes StartupEvent event) {
        ConfigValidation.requireValid(config);
        UpstreamTarget target = UpstreamTarget.of(upstreamUrl());
        if (!config.upstream().verifyTls()) {
            LOG.warn("itcare-proxy.upstream.verify-tls=false: the upstream's TLS certificate is NOT verified. "
                    + "Anyone on the path can read and change the traffic, credentials included.");
        }
        ProxySettings settings = ProxySettings.of(config, tracing.tracer(target));
        // Built only now, after validation, so that bad values stop the start with their key's name.
        Resilience guards = resilience.get();
        TokenSource tokenSource = tokens.get();
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        int poolSize = Math.max(1, config.upstream().maxConnections() / instances);
        ExchangeObserver observer = observers();
        // All instances listen on the same port (Vert.x shares one listening socket among them, a port of 0
        // included); each instance has its own upstream pool on its own event loop.
        java.util.List<ProxyVerticle> verticles = new java.util.concurrent.CopyOnWriteArrayList<>();
        deployment = await(vertx.deployVerticle(() -> {
            ProxyVerticle verticle = new ProxyVerticle(config, settings, target, config.server().port(), poolSize,
                    inFlight, draining, guards, tokenSource, observer);
            verticles.add(verticle);
            return verticle;
        }, new DeploymentOptions().setInstances(instances)));
        port = verticles.get(0).actualPort();
        LOG.infof("itcare-proxy forwarding http://%s:%d to %s (%d event loops, %d upstream connections each, "
                + "OpenTelemetry tracing %s)", config.server().host(), port, target, instances, poolSize,
                tracing.enabled() ? "on" : "off");
    }

    /**
     * Drains, then closes: answers keep flowing (with {@code Connection: close}, so that keep-alive clients go to
     * another replica) until no request is in flight or {@code server.drain-timeout} has passed; only then the port
     * closes. Runs on Quarkus's shutdown thread, never on an event loop, so waiting here blocks no request.
     */
    void stop(@Observes ShutdownEvent event) {
        String id = deployment;
        if (id == null) {
            return;
        }
        draining.set(true);
        int left = inFlight.get();
        LOG.infof("draining %d request%s in flight before closing the traffic port", left, left == 1 ? "" : "s");
        long deadline = System.nanoTime() + config.server().drainTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        if (inFlight.get() > 0) {
            LOG.warnf("closing the traffic port with %d requests still in flight after %s", inFlight.get(),
                    config.server().drainTimeout());
        }
        deployment = null;
        port = -1;
        await(vertx.undeploy(id));
    }

    /** The port the traffic server listens on, once started. */
    public int port() {
        return port;
    }

    /** Requests between their gate and their last response byte. */
    public int inFlight() {
        return inFlight.get();
    }

    private String upstreamUrl() {
        return config.simulator().enabled() ? ProxyConfig.simulatorUrl(config.simulator().port()) : config.upstream().url();
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the traffic port", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the traffic port could not start: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
