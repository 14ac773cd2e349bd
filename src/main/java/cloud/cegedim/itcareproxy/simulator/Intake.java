package cloud.cegedim.itcareproxy.simulator;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The first thing every ITCare request meets, before any fault: it is counted, and the actions that completed
 * since the last request apply their effects, so that what the request reads is up to date.
 */
final class Intake implements Handler<RoutingContext> {

    static final String BASE = "/itcare";

    /** The area of a request outside any area ({@code /itcare} itself). */
    static final String NO_AREA = "-";

    private final Stats stats;
    private final ActionStore actions;

    Intake(Stats stats, ActionStore actions) {
        this.stats = stats;
        this.actions = actions;
    }

    @Override
    public void handle(RoutingContext ctx) {
        stats.record(area(ctx.request().path()), ctx.request().method().name());
        actions.settle();
        ctx.next();
    }

    /** The first path segment after the base: {@code /itcare/compute/instances} is in {@code compute}. */
    static String area(String path) {
        String rest = path.startsWith(BASE) ? path.substring(BASE.length()) : path;
        int start = rest.startsWith("/") ? 1 : 0;
        int end = rest.indexOf('/', start);
        String area = end < 0 ? rest.substring(start) : rest.substring(start, end);
        return area.isEmpty() ? NO_AREA : area;
    }
}
