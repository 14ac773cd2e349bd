package cloud.cegedim.itcareproxy.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorCodeTest {

    @ParameterizedTest(name = "{0} is {1} {2}")
    @CsvSource(textBlock = """
            MALFORMED_REQUEST,    400, BAD_REQUEST
            REQUEST_TOO_LARGE,    413, PAYLOAD_TOO_LARGE
            URI_TOO_LONG,         414, URI_TOO_LONG
            HEADERS_TOO_LARGE,    431, REQUEST_HEADER_FIELDS_TOO_LARGE
            UPSTREAM_UNREACHABLE, 502, BAD_GATEWAY
            TOKEN_UNAVAILABLE,    502, BAD_GATEWAY
            CIRCUIT_OPEN,         503, SERVICE_UNAVAILABLE
            PROXY_OVERLOADED,     503, SERVICE_UNAVAILABLE
            UPSTREAM_TIMEOUT,     504, GATEWAY_TIMEOUT
            """)
    void eachCodeIsSentWithTheStatusTheContractGivesIt(ErrorCode code, int status, String statusName) {
        assertThat(code.status()).isEqualTo(status);
        assertThat(HttpStatuses.name(code.status())).isEqualTo(statusName);
    }

    @Test
    void theTaxonomyHasExactlyTheContractCodes() {
        assertThat(ErrorCode.values()).extracting(Enum::name).containsExactly("MALFORMED_REQUEST",
                "REQUEST_TOO_LARGE", "URI_TOO_LONG", "HEADERS_TOO_LARGE", "UPSTREAM_UNREACHABLE", "TOKEN_UNAVAILABLE",
                "CIRCUIT_OPEN", "PROXY_OVERLOADED", "UPSTREAM_TIMEOUT");
    }

    @Test
    void messagesAreDistinctSentencesWithoutTrailingPunctuation() {
        assertThat(ErrorCode.values()).allSatisfy(code -> assertThat(code.message())
                .matches("[A-Z][^\\n]*[a-z]"));
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::message)).doesNotHaveDuplicates();
    }

    @Test
    void messagesReadAsTheContractDescribesThem() {
        assertThat(ErrorCode.MALFORMED_REQUEST.message()).isEqualTo("The request is malformed");
        assertThat(ErrorCode.UPSTREAM_UNREACHABLE.message()).isEqualTo("ITCare could not be reached");
        assertThat(ErrorCode.CIRCUIT_OPEN.message()).isEqualTo("The circuit breaker for this area is open");
        assertThat(ErrorCode.UPSTREAM_TIMEOUT.message()).isEqualTo("ITCare did not answer in time");
    }
}
