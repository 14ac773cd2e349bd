package cloud.cegedim.itcareproxy.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Applies the fault {@link Faults#pick} chose, before the API sees the request. Latency is a Vert.x timer: the event
 * loop keeps serving other requests while this one waits.
 */
final class FaultInjector implements Handler<RoutingContext> {

    /** Names the fault that produced an answer, so a test or a developer can tell it from a real one. */
    static final String FAULT_HEADER = "X-Simulator-Fault";

    static final int LARGE_BODY_BYTES = 1024 * 1024;

    /** Built once: the per-request path only writes it. */
    private static final Buffer LARGE = largeBody();

    private final Vertx vertx;
    private final Faults faults;

    FaultInjector(Vertx vertx, Faults faults) {
        this.vertx = vertx;
        this.faults = faults;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Optional<Fault> picked = faults.pick(Intake.area(ctx.request().path()));
        if (picked.isEmpty()) {
            ctx.next();
            return;
        }
        Fault fault = picked.get();
        if (fault.latencyMs() > 0) {
            vertx.setTimer(fault.latencyMs(), timer -> apply(ctx, fault));
        } else {
            apply(ctx, fault);
        }
    }

    private void apply(RoutingContext ctx, Fault fault) {
        HttpServerResponse response = ctx.response();
        if (response.closed()) {
            return;
        }
        if (fault.reset()) {
            ctx.request().connection().close();
        } else if (fault.status() == null) {
            ctx.next();
        } else {
            response.setStatusCode(fault.status()).putHeader(FAULT_HEADER, Long.toString(fault.id()));
            if (fault.retryAfter() != null) {
                response.putHeader(HttpHeaders.RETRY_AFTER, fault.retryAfter());
            }
            respond(response, fault.status(), fault.body());
        }
    }

    private static void respond(HttpServerResponse response, int status, Fault.Body body) {
        String name = Errors.statusName(status);
        switch (body) {
            case ENVELOPE -> json(response, Json.encode(Errors.envelope(status, name, "", Errors.meaning(status))));
            case PARTIAL -> json(response, Buffer.buffer(
                    "{\"status\":\"" + name + "\",\"errorMessage\":\"" + Errors.meaning(status) + "\"}"));
            case EMPTY -> response.end();
            case HTML -> response.putHeader(HttpHeaders.CONTENT_TYPE, "text/html").end(html(status));
            // the published ITCare example itself: a quote is missing after INVALID_FIELD_VALUE
            case MALFORMED -> json(response, Buffer.buffer("{\"status\": \"" + name
                    + "\", \"errorCode\": \"INVALID_FIELD_VALUE, \"errorDesc\": \"name\", "
                    + "\"errorMessage\": \"Error on field 'name'\"}"));
            case LARGE -> response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end(LARGE);
        }
    }

    /** What a load balancer in front of ITCare answers when the service behind it is down. */
    private static String html(int status) {
        String title = status + " " + HttpResponseStatus.valueOf(status).reasonPhrase();
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    }

    private static void json(HttpServerResponse response, Buffer body) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, Json.CONTENT_TYPE).end(body);
    }

    /** A stack trace naming internal hosts, repeated to exactly 1 MiB: what must never reach a client. */
    private static Buffer largeBody() {
        String line = "java.lang.IllegalStateException: pool exhausted at db-internal-07.cegedim.local:5432\n";
        StringBuilder text = new StringBuilder(LARGE_BODY_BYTES + line.length());
        while (text.length() < LARGE_BODY_BYTES) {
            text.append(line);
        }
        text.setLength(LARGE_BODY_BYTES);
        return Buffer.buffer(text.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
