package cloud.cegedim.itcareproxy.simulator;

import java.time.Instant;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.ext.web.RoutingContext;

/**
 * The one door through which a request changes the world. A change is an {@link Intent}: it begins at once (a new
 * row in {@code CREATING}, a status like {@code STOPPING}) and finishes when its action completes. Under
 * {@code ITCare-DryRun: true} the intent, already validated by the caller, is described and nothing else happens.
 */
final class Operations {

    static final String DRY_RUN = "ITCare-DryRun";
    static final String REQUEST_ID = "X-Request-Id";

    /**
     * What a request asks for, once validated.
     *
     * @param begin applies the immediate part of the change and gives the id of the resource concerned
     * @param finish applies the rest, given that id, when the action completes
     */
    record Intent(String process, String message, String resourceType, String resourceName, String family,
            Long serviceId, LongSupplier begin, LongConsumer finish) {

        /** An intent about an existing row, whose name, family and service it reports. */
        static Intent about(ObjectNode row, String resourceType, String process, String message, LongSupplier begin,
                LongConsumer finish) {
            return new Intent(process, message, resourceType, row.path("name").asText(), row.path("family").asText(),
                    row.path("serviceId").asLong(), begin, finish);
        }
    }

    private final ActionStore actions;

    Operations(ActionStore actions) {
        this.actions = actions;
    }

    /** The simulator's time, for rows created by an intent. */
    Instant now() {
        return actions.now();
    }

    static boolean isDryRun(RoutingContext ctx) {
        return "true".equalsIgnoreCase(ctx.request().getHeader(DRY_RUN));
    }

    /** Answers 202 with the tracking object of a new action, or 200 with a description under dry run. */
    void submit(RoutingContext ctx, Intent intent) {
        if (isDryRun(ctx)) {
            Json.send(ctx, 200, dryRunAnswer(intent));
            return;
        }
        long resourceId = intent.begin().getAsLong();
        ActionStore.Submission submission = new ActionStore.Submission(intent.process(), intent.message(), resourceId,
                intent.resourceName(), intent.resourceType(), intent.family(), intent.serviceId(),
                ctx.request().getHeader(REQUEST_ID));
        ActionStore.Action action = actions.submit(submission, () -> intent.finish().accept(resourceId));
        Json.send(ctx, 202, action.toJson(actions.now()));
    }

    /** What a dry run answers: the action that would have been started, without an id since none was. */
    private static ObjectNode dryRunAnswer(Intent intent) {
        ObjectNode node = Json.object();
        node.put("dryRun", true);
        node.put("status", "VALID");
        node.put("message", "Dry run, nothing was done: " + intent.message());
        node.put("process", intent.process());
        node.put("resourceName", intent.resourceName());
        node.put("resourceType", intent.resourceType());
        node.put("family", intent.family());
        return node;
    }
}
