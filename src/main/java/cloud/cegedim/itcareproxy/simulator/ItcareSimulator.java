package cloud.cegedim.itcareproxy.simulator;

import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * An ITCare stand-in on its own Vert.x HTTP server: the ITCare API under {@code /itcare}, its control surface under
 * {@code /_simulator}, and the token endpoint of ITCare's Keycloak ({@link TokenIssuer#TOKEN_PATH}). This class owns the server's lifecycle and the order of the routes; the world itself (inventory,
 * actions, faults) is built afresh at each start from the seed, and lives in plain objects that know nothing of CDI.
 */
@ApplicationScoped
public class ItcareSimulator {

    private static final Logger LOG = Logger.getLogger(ItcareSimulator.class);

    /** Bodies up to this size are read; the proxy refuses larger ones before they get here. */
    private static final long BODY_LIMIT = 16L * 1024 * 1024;

    private final Vertx vertx;
    private final SimulatorConfig config;
    private final Clock clock;
    private final RandomGenerator random;
    private volatile HttpServer server;

    ItcareSimulator(Vertx vertx, SimulatorConfig config, @Simulated Clock clock, @Simulated RandomGenerator random) {
        this.vertx = vertx;
        this.config = config;
        this.clock = clock;
        this.random = random;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** The port the simulator listens on, the actual one when {@code port} is 0. */
    public int port() {
        HttpServer running = server;
        if (running == null) {
            throw new IllegalStateException("the ITCare simulator is not running (itcare-proxy.simulator.enabled)");
        }
        return running.actualPort();
    }

    /** Starts the server and waits, on the start-up thread and never on an event loop, until it listens. */
    synchronized void start() {
        if (server != null) {
            return;
        }
        validate();
        HttpServer created = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
                .requestHandler(router());
        await(created.listen(), "cannot listen on " + config.host() + ":" + config.port()
                + " (itcare-proxy.simulator.host, itcare-proxy.simulator.port)");
        server = created;
        LOG.infof("ITCare simulator listening on http://%s:%d%s (control: %s)", config.host(), created.actualPort(),
                Intake.BASE, ControlApi.BASE);
    }

    synchronized void stop() {
        HttpServer running = server;
        server = null;
        if (running != null) {
            await(running.close(), "cannot close its server");
        }
    }

    private void validate() {
        if (config.port() < 0 || config.port() > 65_535) {
            throw new IllegalArgumentException("itcare-proxy.simulator.port must be between 0 and 65535: " + config.port());
        }
        if (config.actionDuration().isNegative()) {
            throw new IllegalArgumentException(
                    "itcare-proxy.simulator.action-duration must not be negative: " + config.actionDuration());
        }
        if (config.tokenLifetime().toSeconds() < 1) {
            throw new IllegalArgumentException(
                    "itcare-proxy.simulator.token-lifetime must be at least 1s: " + config.tokenLifetime());
        }
        if (config.host().isBlank()) {
            throw new IllegalArgumentException("itcare-proxy.simulator.host must not be blank");
        }
    }

    /**
     * The order matters: the dry-run echo applies to every answer, the intake counts a request before a fault can
     * hit it, and faults strike before the API (or the token endpoint) sees the request.
     */
    private Router router() {
        Inventory inventory = new Inventory(SeedData.FIRST_RESOURCE_ID);
        ActionStore actions = new ActionStore(clock, config.actionDuration(), SeedData.FIRST_ACTION_ID);
        Runnable reseed = () -> SeedData.reseed(inventory, actions, config.seed());
        reseed.run();
        Operations operations = new Operations(actions);
        Stats stats = new Stats();
        Faults faults = new Faults(clock, random);

        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            if (Operations.isDryRun(ctx)) {
                ctx.response().putHeader(Operations.DRY_RUN, "true");
            }
            ctx.next();
        });
        router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        FaultInjector faultInjector = new FaultInjector(vertx, faults);
        TokenIssuer issuer = new TokenIssuer(config, clock);
        router.route(TokenIssuer.TOKEN_PATH).handler(issuer::count);
        router.route(TokenIssuer.TOKEN_PATH).handler(faultInjector);
        router.post(TokenIssuer.TOKEN_PATH).handler(issuer::issue);
        router.route(Intake.BASE + "/*").handler(new Intake(stats, actions));
        router.route(Intake.BASE + "/*").handler(faultInjector);
        // After the faults, which stand for the infrastructure in front of ITCare; the 401 is ITCare's own answer.
        router.route(Intake.BASE + "/*").handler(issuer::guard);
        router.get(Intake.BASE + "/health").handler(ctx -> Json.send(ctx, 200, health()));
        new ComputeApi(inventory, operations).mount(router, Intake.BASE);
        new DatabaseApi(inventory, operations).mount(router, Intake.BASE);
        new NetworkingApi(inventory, operations).mount(router, Intake.BASE);
        new ActionsApi(actions).mount(router, Intake.BASE);
        new ControlApi(faults, stats, issuer, reseed).mount(router);

        router.route().failureHandler(Errors::handleFailure);
        router.errorHandler(404, ctx -> Errors.send(ctx,
                ApiError.notFound("No resource at " + ctx.request().method() + " " + ctx.request().path())));
        router.errorHandler(405, ctx -> Errors.send(ctx, ApiError.of(405, ctx.request().method().name())));
        return router;
    }

    private static ObjectNode health() {
        ObjectNode node = Json.object();
        node.put("status", "UP");
        return node;
    }

    private static void await(Future<?> future, String failure) {
        try {
            future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("ITCare simulator " + failure + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("ITCare simulator " + failure + ": no answer in 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("ITCare simulator " + failure + ": interrupted", e);
        }
    }
}
