package cloud.cegedim.itcareproxy.simulator;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.ext.web.RoutingContext;

/**
 * Validation of request bodies and path ids. Every rejection is a 400 INVALID_FIELD_VALUE naming the field, which is
 * what ITCare documents; the field name is the JSON path as the caller wrote it ({@code options.cpu}).
 */
final class Fields {

    private Fields() {
    }

    /** A numeric path id; anything else is a bad request, as Spring answers a type mismatch. */
    static long pathId(RoutingContext ctx, String param) {
        try {
            return Long.parseLong(ctx.pathParam(param));
        } catch (NumberFormatException e) {
            throw ApiError.invalidField(param);
        }
    }

    /** A required name: 3 to 63 lower-case letters, digits or dashes, starting with a letter. */
    static String name(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual() || !node.asText().matches("[a-z][a-z0-9-]{2,62}")) {
            throw ApiError.invalidField(field);
        }
        return node.asText();
    }

    /** A required text among {@code allowed}, case-insensitive; answered in upper case. */
    static String oneOf(ObjectNode body, String field, List<String> allowed) {
        JsonNode node = body.get(field);
        String value = node != null && node.isTextual() ? node.asText().toUpperCase(Locale.ROOT) : null;
        if (value == null || !allowed.contains(value)) {
            throw ApiError.invalidField(field);
        }
        return value;
    }

    /** Like {@link #oneOf} but {@code absent} when the field is missing. */
    static String oneOf(ObjectNode body, String field, List<String> allowed, String absent) {
        return body.hasNonNull(field) ? oneOf(body, field, allowed) : absent;
    }

    static long requiredLong(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() <= 0) {
            throw ApiError.invalidField(field);
        }
        return node.asLong();
    }

    /** An optional integer within {@code [min, max]}; {@code absent} when missing. */
    static int intIn(ObjectNode body, String field, int min, int max, int absent, String reportedAs) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
            throw ApiError.invalidField(reportedAs);
        }
        return node.asInt();
    }

    static int intIn(ObjectNode body, String field, int min, int max, int absent) {
        return intIn(body, field, min, max, absent, field);
    }

    /** An optional nested object; empty when missing, a bad request when it is something else. */
    static ObjectNode object(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Json.object();
        }
        if (!node.isObject()) {
            throw ApiError.invalidField(field);
        }
        return (ObjectNode) node;
    }

    /** A required absolute http(s) URL without spaces. */
    static String url(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual() || !node.asText().matches("https?://[^\\s/?#]+(/[^\\s]*)?")) {
            throw ApiError.invalidField(field);
        }
        return node.asText();
    }
}
