package cloud.cegedim.itcareproxy.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

class EnvelopeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void refusesANullMember() {
        assertThatNullPointerException().isThrownBy(() -> new Envelope(null, "C", "d", "m")).withMessage("status");
        assertThatNullPointerException().isThrownBy(() -> new Envelope("S", null, "d", "m")).withMessage("errorCode");
        assertThatNullPointerException().isThrownBy(() -> new Envelope("S", "C", null, "m")).withMessage("errorDesc");
        assertThatNullPointerException().isThrownBy(() -> new Envelope("S", "C", "d", null))
                .withMessage("errorMessage");
    }

    @Test
    void proxyErrorCarriesItsStatusNameCodeAndMessage() {
        assertThat(Envelope.of(ErrorCode.CIRCUIT_OPEN, "compute")).isEqualTo(new Envelope("SERVICE_UNAVAILABLE",
                "CIRCUIT_OPEN", "compute", "The circuit breaker for this area is open"));
    }

    @Test
    void proxyErrorWithoutDetailHasAnEmptyDesc() {
        assertThat(Envelope.of(ErrorCode.UPSTREAM_TIMEOUT, null)).isEqualTo(new Envelope("GATEWAY_TIMEOUT",
                "UPSTREAM_TIMEOUT", "", "ITCare did not answer in time"));
    }

    @Test
    void defaultsUseTheStatusNameAsCodeAndTheDocumentedMeaningAsMessage() {
        assertThat(Envelope.defaults(404)).isEqualTo(new Envelope("NOT_FOUND", "NOT_FOUND", "",
                "Non-existent resource"));
        assertThat(Envelope.defaults(599)).isEqualTo(new Envelope("HTTP_599", "HTTP_599", "", "Server error"));
    }

    @Test
    void rendersTheFourMembersInContractOrder() {
        assertThat(Envelope.of(ErrorCode.REQUEST_TOO_LARGE, "limit 10M").toJson().toString()).isEqualTo(
                "{\"status\":\"PAYLOAD_TOO_LARGE\",\"errorCode\":\"REQUEST_TOO_LARGE\",\"errorDesc\":\"limit 10M\","
                        + "\"errorMessage\":\"The request body is too large\"}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        Envelope envelope = new Envelope("BAD_REQUEST", "A\"B", "line1\nline2\r\t\\ \b\f \u0000\u001f \u007f",
                "</script> \u2028\u2029");

        assertThat(envelope.toJson().toString()).isEqualTo("{\"status\":\"BAD_REQUEST\",\"errorCode\":\"A\\\"B\","
                + "\"errorDesc\":\"line1\\nline2\\r\\t\\\\ \\b\\f \\u0000\\u001f \u007f\","
                + "\"errorMessage\":\"</script> \\u2028\\u2029\"}");
        assertThat(parse(envelope)).isEqualTo(members(envelope));
    }

    @Test
    void keepsNonAsciiAndNonBmpCharactersAsUtf8() {
        Envelope envelope = new Envelope("CONFLICT", "CONFLICT", "nom déjà pris", "\uD83D\uDE00 emoji 漢字");

        String json = envelope.toJson().toString();

        assertThat(json).contains("nom déjà pris").contains("\uD83D\uDE00 emoji 漢字");
        assertThat(parse(envelope)).isEqualTo(members(envelope));
    }

    @Test
    void escapesLoneSurrogatesSoThatTheyParseBackUnchanged() {
        Envelope envelope = new Envelope("CONFLICT", "\uD800", "x\uDC00y", "\uDBFF\uDBFF\uDFFF");

        assertThat(envelope.toJson().toString()).contains("\"errorCode\":\"\\ud800\"")
                .contains("\"errorDesc\":\"x\\udc00y\"").contains("\"errorMessage\":\"\\udbff\uDBFF\uDFFF\"");
        assertThat(parse(envelope)).isEqualTo(members(envelope));
    }

    @Test
    void rendersEmptyStringsAsEmptyStrings() {
        assertThat(new Envelope("", "", "", "").toJson().toString())
                .isEqualTo("{\"status\":\"\",\"errorCode\":\"\",\"errorDesc\":\"\",\"errorMessage\":\"\"}");
    }

    private static Map<String, String> parse(Envelope envelope) {
        try {
            return MAPPER.readValue(envelope.toJson().getBytes(), new TypeReference<Map<String, String>>() {
            });
        } catch (Exception e) {
            throw new AssertionError("not valid JSON: " + envelope.toJson(), e);
        }
    }

    private static Map<String, String> members(Envelope envelope) {
        return Map.of("status", envelope.status(), "errorCode", envelope.errorCode(), "errorDesc",
                envelope.errorDesc(), "errorMessage", envelope.errorMessage());
    }
}
