package cloud.cegedim.itcareproxy.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The simulator's own control surface, outside the ITCare API so that a proxy pointed at {@code /itcare} never
 * reaches it:
 * <ul>
 * <li>{@code POST /_simulator/faults}: add a fault (see {@link Fault}), 201 with it;</li>
 * <li>{@code GET /_simulator/faults}: the active faults; {@code DELETE /_simulator/faults}: remove them all;
 * {@code DELETE /_simulator/faults/{id}}: remove one;</li>
 * <li>{@code GET /_simulator/stats}: requests received per area and method; {@code DELETE}: back to zero;</li>
 * <li>{@code GET /_simulator/auth}: the token endpoint's counts and settings; {@code POST}: change them (see
 * {@link TokenIssuer#configure}), 200 with the new state;</li>
 * <li>{@code POST /_simulator/reset}: back to the seeded world, no faults, no counts, the configured token settings and
 * no tokens (the clock and the dice go on).</li>
 * </ul>
 */
final class ControlApi {

    static final String BASE = "/_simulator";

    private final Faults faults;
    private final Stats stats;
    private final TokenIssuer issuer;
    private final Runnable reseed;

    /** @param reseed puts the inventory and the actions back as the seed made them */
    ControlApi(Faults faults, Stats stats, TokenIssuer issuer, Runnable reseed) {
        this.faults = faults;
        this.stats = stats;
        this.issuer = issuer;
        this.reseed = reseed;
    }

    void mount(Router router) {
        router.post(BASE + "/faults").handler(this::addFault);
        router.get(BASE + "/faults").handler(this::listFaults);
        router.delete(BASE + "/faults").handler(this::clearFaults);
        router.delete(BASE + "/faults/:id").handler(this::removeFault);
        router.get(BASE + "/stats").handler(ctx -> Json.send(ctx, 200, stats.toJson()));
        router.delete(BASE + "/stats").handler(this::resetStats);
        router.get(BASE + "/auth").handler(ctx -> Json.send(ctx, 200, issuer.toJson()));
        router.post(BASE + "/auth").handler(this::configureAuth);
        router.post(BASE + "/reset").handler(this::reset);
    }

    private void configureAuth(RoutingContext ctx) {
        issuer.configure(Json.bodyObject(ctx));
        Json.send(ctx, 200, issuer.toJson());
    }

    private void reset(RoutingContext ctx) {
        reseed.run();
        faults.reset();
        stats.reset();
        issuer.reset();
        ctx.response().setStatusCode(204).end();
    }

    private void addFault(RoutingContext ctx) {
        Fault fault = faults.add(Json.bodyObject(ctx));
        ctx.response().putHeader("Location", BASE + "/faults/" + fault.id());
        Json.send(ctx, 201, fault.toJson());
    }

    private void listFaults(RoutingContext ctx) {
        ArrayNode array = Json.array();
        faults.active().forEach(fault -> array.add(fault.toJson()));
        Json.send(ctx, 200, array);
    }

    private void clearFaults(RoutingContext ctx) {
        faults.clear();
        ctx.response().setStatusCode(204).end();
    }

    private void removeFault(RoutingContext ctx) {
        long id = Fields.pathId(ctx, "id");
        if (!faults.remove(id)) {
            throw ApiError.notFound("No fault with id " + id);
        }
        ctx.response().setStatusCode(204).end();
    }

    private void resetStats(RoutingContext ctx) {
        stats.reset();
        ctx.response().setStatusCode(204).end();
    }
}
