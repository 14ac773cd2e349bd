package cloud.cegedim.itcareproxy.simulator;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** Reading and writing the simulator's JSON. The only place that knows the mapper and the date format. */
final class Json {

    static final String CONTENT_TYPE = "application/json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** ITCare's dates always carry milliseconds, even when they are zero: {@code 2025-07-06T11:01:21.263Z}. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static String date(Instant instant) {
        return DATE.format(instant);
    }

    static Buffer encode(JsonNode node) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree built in memory always serialises", e);
        }
    }

    static void send(RoutingContext ctx, int status, JsonNode body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
                .end(encode(body));
    }

    /**
     * The request body as a JSON object. An absent, unparsable or non-object body is the caller's mistake: 400, with
     * {@code errorDesc} "body", the way a Spring controller answers an unreadable message.
     */
    static ObjectNode bodyObject(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw ApiError.malformedBody("The request body is empty");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body.getBytes());
        } catch (IOException e) {
            throw ApiError.malformedBody("The request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.malformedBody("The request body must be a JSON object");
        }
        return (ObjectNode) node;
    }
}
