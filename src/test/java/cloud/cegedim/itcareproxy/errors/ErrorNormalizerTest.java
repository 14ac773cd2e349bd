package cloud.cegedim.itcareproxy.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import cloud.cegedim.itcareproxy.errors.ErrorNormalizer.Normalized;
import io.vertx.core.buffer.Buffer;

class ErrorNormalizerTest {

    private static final String COMPLETE = "{\"status\":\"BAD_REQUEST\",\"errorCode\":\"INVALID_FIELD_VALUE\","
            + "\"errorDesc\":\"name\",\"errorMessage\":\"Error on field 'name'\"}";
    private static final Envelope ITCARE = new Envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "name",
            "Error on field 'name'");

    @Test
    void completeEnvelopeWithTheRightStatusIsPassedVerbatim() {
        assertThat(normalize(400, COMPLETE)).isEqualTo(new Normalized(ITCARE, true));
    }

    @Test
    void completeEnvelopeIsVerbatimWhateverItsLayoutAndMemberOrder() {
        String pretty = "\n  {\r\n\t\"errorMessage\" : \"Error on field 'name'\",\n  \"errorDesc\": \"name\",\n"
                + "  \"errorCode\": \"INVALID_FIELD_VALUE\", \"status\": \"BAD_REQUEST\"\n}\n ";

        assertThat(normalize(400, pretty)).isEqualTo(new Normalized(ITCARE, true));
    }

    @Test
    void statusThatContradictsTheStatusLineIsCorrected() {
        Normalized normalized = normalize(422, COMPLETE);

        assertThat(normalized.verbatim()).isFalse();
        assertThat(json(normalized)).isEqualTo("{\"status\":\"UNPROCESSABLE_ENTITY\","
                + "\"errorCode\":\"INVALID_FIELD_VALUE\",\"errorDesc\":\"name\","
                + "\"errorMessage\":\"Error on field 'name'\"}");
    }

    @Test
    void statusThatIsNotAStringIsCorrected() {
        Normalized normalized = normalize(400, "{\"status\":400,\"errorCode\":\"INVALID_FIELD_VALUE\","
                + "\"errorDesc\":\"name\",\"errorMessage\":\"Error on field 'name'\"}");

        assertThat(normalized).isEqualTo(new Normalized(ITCARE, false));
    }

    @Test
    void partialEnvelopeIsCompletedWithDefaults() {
        Normalized normalized = normalize(400, "{\"errorCode\":\"INVALID_FIELD_VALUE\"}");

        assertThat(normalized.verbatim()).isFalse();
        assertThat(json(normalized)).isEqualTo("{\"status\":\"BAD_REQUEST\",\"errorCode\":\"INVALID_FIELD_VALUE\","
                + "\"errorDesc\":\"\",\"errorMessage\":\"Bad query: syntax or consistency error\"}");
    }

    @Test
    void nullAndNonStringMembersAreReplacedByDefaults() {
        Normalized normalized = normalize(404, "{\"status\":\"NOT_FOUND\",\"errorCode\":null,"
                + "\"errorDesc\":{\"id\":42},\"errorMessage\":\"No instance 42\"}");

        assertThat(normalized).isEqualTo(new Normalized(
                new Envelope("NOT_FOUND", "NOT_FOUND", "", "No instance 42"), false));
    }

    @Test
    void extraMembersAreDropped() {
        Normalized normalized = normalize(500, "{\"status\":\"INTERNAL_SERVER_ERROR\",\"errorCode\":\"DB_DOWN\","
                + "\"errorDesc\":\"\",\"errorMessage\":\"Database down\","
                + "\"trace\":\"at com.acme.Db.connect(Db.java:42) on db-internal-07\",\"nested\":[{\"a\":[1,2]}]}");

        assertThat(normalized.verbatim()).isFalse();
        assertThat(json(normalized)).isEqualTo("{\"status\":\"INTERNAL_SERVER_ERROR\",\"errorCode\":\"DB_DOWN\","
                + "\"errorDesc\":\"\",\"errorMessage\":\"Database down\"}");
    }

    @Test
    void repeatedMemberIsNeverVerbatimAndTheLastOneCounts() {
        Normalized normalized = normalize(409, "{\"status\":\"CONFLICT\",\"errorCode\":\"FIRST\","
                + "\"errorCode\":\"LAST\",\"errorMessage\":\"Already exists\"}");

        assertThat(normalized).isEqualTo(new Normalized(new Envelope("CONFLICT", "LAST", "", "Already exists"),
                false));
    }

    @Test
    void escapedCharactersAreDecodedAndRenderedAgain() {
        Normalized normalized = normalize(400, "{\"errorCode\":\"X\",\"errorDesc\":\"a\\\"b\\nc \\u00e9 "
                + "\\ud83d\\ude00 \\u0000\"}");

        assertThat(normalized.envelope().errorDesc()).isEqualTo("a\"b\nc é \uD83D\uDE00 \u0000");
        assertThat(json(normalized)).contains("\"errorDesc\":\"a\\\"b\\nc é \uD83D\uDE00 \\u0000\"");
    }

    @Test
    void emptyBodyGetsTheDefaults() {
        assertThat(json(normalize(404, ""))).isEqualTo("{\"status\":\"NOT_FOUND\",\"errorCode\":\"NOT_FOUND\","
                + "\"errorDesc\":\"\",\"errorMessage\":\"Non-existent resource\"}");
        assertThat(normalize(404, " \r\n\t ")).isEqualTo(new Normalized(Envelope.defaults(404), false));
    }

    @Test
    void tooLargeBodyThatWasNotInspectedGetsTheDefaults() {
        assertThat(ErrorNormalizer.normalize(503, null)).isEqualTo(new Normalized(Envelope.defaults(503), false));
    }

    @Test
    void htmlPageFromALoadBalancerIsReplaced() {
        String html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3 lb-internal-03</center>\r\n"
                + "</body>\r\n</html>\r\n";

        assertThat(json(normalize(502, html))).isEqualTo("{\"status\":\"BAD_GATEWAY\",\"errorCode\":\"BAD_GATEWAY\","
                + "\"errorDesc\":\"\",\"errorMessage\":\"Bad Gateway\"}");
    }

    @Test
    void itcaresOwnMalformedPublishedExampleIsReplaced() {
        String published = "{\"status\": \"BAD_REQUEST\", \"errorCode\": \"INVALID_FIELD_VALUE\", "
                + "\"errorDesc\": \"name\", \"errorMessage: \"Error on field 'name'\"}";

        assertThat(normalize(400, published)).isEqualTo(new Normalized(Envelope.defaults(400), false));
    }

    @Test
    void springBootErrorJsonIsReplaced() {
        String spring = "{\"timestamp\":\"2025-07-06T11:01:21.263+00:00\",\"status\":500,"
                + "\"error\":\"Internal Server Error\",\"path\":\"/compute/instances\"}";

        assertThat(json(normalize(500, spring))).isEqualTo("{\"status\":\"INTERNAL_SERVER_ERROR\","
                + "\"errorCode\":\"INTERNAL_SERVER_ERROR\",\"errorDesc\":\"\",\"errorMessage\":\"Fatal API error\"}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `[{"errorCode":"X","errorDesc":"d","errorMessage":"m"}]`
            `"errorCode"`
            `42`
            `null`
            `true`
            `{}`
            `{"status":"CONFLICT"}`
            `{"errorCode":1,"errorDesc":false,"errorMessage":["m"]}`
            `{"errorCode":"X"} trailing text`
            `{"errorCode":"X"}{"errorCode":"Y"}`
            `{"errorCode":"X",}`
            `{'errorCode':'X'}`
            `{"errorCode":"X" /* comment */}`
            `{"errorCode":"tab	inside"}`
            `{"errorCode":"X"`
            """)
    void bodyThatIsNotExactlyOneEnvelopeObjectIsReplaced(String body) {
        assertThat(normalize(409, body)).isEqualTo(new Normalized(Envelope.defaults(409), false));
    }

    @Test
    void utf8ByteOrderMarkIsToleratedButNeverSentVerbatim() {
        Normalized normalized = normalize(400, "\uFEFF" + COMPLETE);

        assertThat(normalized).isEqualTo(new Normalized(ITCARE, false));
    }

    @Test
    void invalidUtf8IsReplaced() {
        byte[] body = "{\"errorCode\":\"X\",\"errorDesc\":\"#\"}".getBytes(StandardCharsets.US_ASCII);
        body[body.length - 3] = (byte) 0xC3;

        assertThat(ErrorNormalizer.normalize(400, Buffer.buffer(body)))
                .isEqualTo(new Normalized(Envelope.defaults(400), false));
    }

    @Test
    void utf8EncodedSurrogateIsReplaced() {
        byte[] body = "{\"errorCode\":\"X\",\"errorDesc\":\"###\"}".getBytes(StandardCharsets.US_ASCII);
        body[body.length - 5] = (byte) 0xED;
        body[body.length - 4] = (byte) 0xA0;
        body[body.length - 3] = (byte) 0x80;

        assertThat(ErrorNormalizer.normalize(400, Buffer.buffer(body)))
                .isEqualTo(new Normalized(Envelope.defaults(400), false));
    }

    @Test
    void utf16EnvelopeIsReplacedBecauseJsonOnTheWireIsUtf8() {
        Buffer body = Buffer.buffer(COMPLETE.getBytes(StandardCharsets.UTF_16));

        assertThat(ErrorNormalizer.normalize(400, body)).isEqualTo(new Normalized(Envelope.defaults(400), false));
    }

    @Test
    void nestingWithinTheLimitIsSkipped() {
        int depth = ErrorNormalizer.MAX_NESTING_DEPTH - 1;
        String body = "{\"errorCode\":\"X\",\"deep\":" + "[".repeat(depth) + "]".repeat(depth) + "}";

        assertThat(normalize(400, body).envelope().errorCode()).isEqualTo("X");
    }

    @Test
    void nestingBeyondTheLimitIsReplacedWithoutError() {
        String body = "{\"errorCode\":\"X\",\"deep\":" + "[{\"a\":".repeat(50_000) + "1" + "}]".repeat(50_000) + "}";

        assertThat(normalize(400, body)).isEqualTo(new Normalized(Envelope.defaults(400), false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            400 | BAD_REQUEST           | Bad query: syntax or consistency error
            401 | UNAUTHORIZED          | Unauthenticated
            403 | FORBIDDEN             | Unauthorized
            404 | NOT_FOUND             | Non-existent resource
            409 | CONFLICT              | Conflict
            422 | UNPROCESSABLE_ENTITY  | Inconsistent data
            500 | INTERNAL_SERVER_ERROR | Fatal API error
            503 | SERVICE_UNAVAILABLE   | Service temporarily unavailable
            504 | GATEWAY_TIMEOUT       | Gateway Timeout
            599 | HTTP_599              | Server error
            """)
    void emptyBodyGetsTheStatusNameAndItsDocumentedMeaning(int status, String name, String meaning) {
        assertThat(json(normalize(status, ""))).isEqualTo("{\"status\":\"" + name + "\",\"errorCode\":\"" + name
                + "\",\"errorDesc\":\"\",\"errorMessage\":\"" + meaning + "\"}");
    }

    private static Normalized normalize(int status, String body) {
        return ErrorNormalizer.normalize(status, Buffer.buffer(body));
    }

    private static String json(Normalized normalized) {
        return normalized.envelope().toJson().toString();
    }
}
