package cloud.cegedim.itcareproxy.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import cloud.cegedim.itcareproxy.errors.ErrorBodies.Rendered;
import io.vertx.core.buffer.Buffer;

class ErrorBodiesTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "ABSENT", textBlock = """
            ABSENT                                                        | false
            ''                                                            | false
            '   '                                                         | false
            */*                                                           | false
            application/*                                                 | false
            application/json                                              | false
            application/vnd.cegedim-it.v1+json                            | false
            application/problem+xml                                       | false
            application/problem+jsonx                                     | false
            application/problem+json                                      | true
            APPLICATION/Problem+JSON                                      | true
            '  application/problem+json  '                                | true
            application/problem+json; charset=utf-8                       | true
            application/problem+json, application/json                    | true
            application/json, application/problem+json                    | false
            application/json;q=0.5, application/problem+json              | true
            application/problem+json;q=0.5, application/json              | false
            application/problem+json;q=0.8, application/json;q=0.8        | true
            application/json;q=0.8, application/problem+json;q=0.8        | false
            application/json;q=0.8, application/problem+json;q=0.800      | false
            application/json ; Q=0.3 , application/problem+json ; q=0.31  | true
            application/problem+json;q=0                                  | false
            application/problem+json;q=0.0, application/json;q=0          | false
            application/json;q=0, application/problem+json;q=0.001        | true
            application/problem+json, */*                                 | true
            */*, application/problem+json                                 | true
            */*;q=0.1, application/problem+json;q=0.1                     | true
            application/problem+json;q=0.9, */*                           | false
            application/problem+json;q=0.9, application/*                 | false
            application/problem+json;q=0.9, application/*;q=0.1, */*      | true
            text/html, application/xhtml+xml, */*;q=0.8                   | false
            text/html, application/problem+json;q=0.9, */*;q=0.8          | true
            application/problem+json;q=abc                                | false
            application/problem+json;q=1.5                                | false
            application/problem+json;q=0.1234                             | false
            application/problem+json;q=, application/json;q=0.1           | false
            application/problem+json;q=1., application/json;q=0.999       | true
            application/json;q=0.5, application/json, application/problem+json | true
            application/problem+json;q=0.5;level=1, application/json;q=0.4    | true
            application/problem+json;charset=utf-8;q=0.4, application/json;q=0.5 | false
            """)
    void negotiatesProblemDetailsOnlyWhenTheClientPrefersThem(String accept, boolean problem) {
        assertThat(ErrorBodies.prefersProblemJson(accept)).isEqualTo(problem);
    }

    @Test
    void envelopeIsRenderedAsApplicationJson() {
        Rendered rendered = ErrorBodies.render(503, Envelope.of(ErrorCode.CIRCUIT_OPEN, "compute"), false);

        assertThat(rendered.contentType()).isEqualTo("application/json");
        assertThat(rendered.body().toString()).isEqualTo("{\"status\":\"SERVICE_UNAVAILABLE\","
                + "\"errorCode\":\"CIRCUIT_OPEN\",\"errorDesc\":\"compute\","
                + "\"errorMessage\":\"The circuit breaker for this area is open\"}");
    }

    @Test
    void problemDetailsCarryTheSameErrorAsTheEnvelope() {
        Rendered rendered = ErrorBodies.render(503, Envelope.of(ErrorCode.CIRCUIT_OPEN, "compute"), true);

        assertThat(rendered.contentType()).isEqualTo("application/problem+json");
        assertThat(rendered.body().toString()).isEqualTo("{\"type\":\"urn:itcare-proxy:error:CIRCUIT_OPEN\","
                + "\"title\":\"The circuit breaker for this area is open\",\"status\":503,\"detail\":\"compute\","
                + "\"errorCode\":\"CIRCUIT_OPEN\",\"errorDesc\":\"compute\"}");
    }

    @Test
    void problemDetailsOfAnUpstreamErrorUseItsCodeAndTheRealStatus() {
        Envelope upstream = ErrorNormalizer.normalize(400, Buffer.buffer("{\"errorCode\":\"INVALID_FIELD_VALUE\","
                + "\"errorDesc\":\"name\",\"errorMessage\":\"Error on field 'name'\"}")).envelope();

        JsonNode problem = parse(ErrorBodies.render(400, upstream, true));

        assertThat(problem.get("type").textValue()).isEqualTo("urn:itcare-proxy:error:INVALID_FIELD_VALUE");
        assertThat(problem.get("title").textValue()).isEqualTo("Error on field 'name'");
        assertThat(problem.get("status").intValue()).isEqualTo(400);
        assertThat(problem.get("detail").textValue()).isEqualTo("name");
        assertThat(problem.get("errorCode").textValue()).isEqualTo("INVALID_FIELD_VALUE");
        assertThat(problem.get("errorDesc").textValue()).isEqualTo("name");
        assertThat(problem.size()).isEqualTo(6);
    }

    @Test
    void unusualErrorCodeIsPercentEncodedInTheTypeButKeptExactInErrorCode() {
        Envelope envelope = new Envelope("CONFLICT", "déjà vu/\"x\" 100%", "", "Conflict");

        JsonNode problem = parse(ErrorBodies.render(409, envelope, true));

        assertThat(problem.get("type").textValue())
                .isEqualTo("urn:itcare-proxy:error:d%C3%A9j%C3%A0%20vu%2F%22x%22%20100%25");
        assertThat(problem.get("errorCode").textValue()).isEqualTo("déjà vu/\"x\" 100%");
    }

    @Test
    void problemDetailsEscapeQuotesNewlinesAndUnicode() {
        Envelope envelope = new Envelope("BAD_REQUEST", "BAD_REQUEST", "line\n\"two\" \u0001 \uD83D\uDE00",
                "Bad \\ query \u2028");

        JsonNode problem = parse(ErrorBodies.render(400, envelope, true));

        assertThat(problem.get("title").textValue()).isEqualTo("Bad \\ query \u2028");
        assertThat(problem.get("detail").textValue()).isEqualTo("line\n\"two\" \u0001 \uD83D\uDE00");
        assertThat(problem.get("errorDesc").textValue()).isEqualTo("line\n\"two\" \u0001 \uD83D\uDE00");
    }

    static JsonNode parse(Rendered rendered) {
        try {
            return MAPPER.readTree(rendered.body().getBytes());
        } catch (Exception e) {
            throw new AssertionError("not valid JSON: " + rendered.body(), e);
        }
    }
}
