package cloud.cegedim.itcareproxy.simulator;

import java.util.Locale;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.ext.web.RoutingContext;

/** ITCare's error envelope: the status names and documented meanings, and the one handler that renders failures. */
final class Errors {

    private static final Logger LOG = Logger.getLogger(Errors.class);

    /** Spring {@code HttpStatus} names where they differ from the reason phrase Netty knows. */
    private static final Map<Integer, String> NAMES = Map.of(
            413, "PAYLOAD_TOO_LARGE",
            414, "URI_TOO_LONG",
            416, "REQUESTED_RANGE_NOT_SATISFIABLE");

    /** The meanings ITCare documents per status; other statuses fall back to the reason phrase. */
    private static final Map<Integer, String> MEANINGS = Map.ofEntries(
            Map.entry(400, "Bad query"),
            Map.entry(401, "Unauthenticated"),
            Map.entry(403, "Unauthorized"),
            Map.entry(404, "Non-existent resource"),
            Map.entry(405, "Method not allowed"),
            Map.entry(409, "Conflict"),
            Map.entry(422, "Inconsistent data"),
            Map.entry(500, "Fatal API error"),
            Map.entry(503, "Service temporarily unavailable"));

    private Errors() {
    }

    /** {@code 503} gives {@code SERVICE_UNAVAILABLE}: the upper-case enum name ITCare puts in {@code status}. */
    static String statusName(int status) {
        String name = NAMES.get(status);
        if (name != null) {
            return name;
        }
        return HttpResponseStatus.valueOf(status).reasonPhrase().toUpperCase(Locale.ROOT)
                .replaceAll("[^A-Z0-9]+", "_").replaceAll("^_|_$", "");
    }

    static String meaning(int status) {
        return MEANINGS.getOrDefault(status, HttpResponseStatus.valueOf(status).reasonPhrase());
    }

    static ObjectNode envelope(int status, String errorCode, String errorDesc, String errorMessage) {
        ObjectNode node = Json.object();
        node.put("status", statusName(status));
        node.put("errorCode", errorCode);
        node.put("errorDesc", errorDesc);
        node.put("errorMessage", errorMessage);
        return node;
    }

    static void send(RoutingContext ctx, ApiError error) {
        Json.send(ctx, error.status(), error.toJson());
    }

    /**
     * Every failure of a route ends here: an {@link ApiError} thrown by a handler, a status failed by Vert.x itself
     * (413 from the body handler), or a bug, which is logged and answered 500 like ITCare's "fatal API error".
     */
    static void handleFailure(RoutingContext ctx) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        Throwable failure = ctx.failure();
        if (failure instanceof ApiError error) {
            send(ctx, error);
        } else if (failure == null && ctx.statusCode() >= 400) {
            send(ctx, ApiError.of(ctx.statusCode(), ctx.request().path()));
        } else {
            LOG.errorf(failure, "ITCare simulator failed on %s %s", ctx.request().method(), ctx.request().path());
            send(ctx, ApiError.of(500, ""));
        }
    }
}
