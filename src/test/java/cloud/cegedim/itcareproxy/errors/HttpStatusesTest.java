package cloud.cegedim.itcareproxy.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpStatusesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(textBlock = """
            200, OK
            202, ACCEPTED
            304, NOT_MODIFIED
            400, BAD_REQUEST
            401, UNAUTHORIZED
            402, PAYMENT_REQUIRED
            403, FORBIDDEN
            404, NOT_FOUND
            405, METHOD_NOT_ALLOWED
            406, NOT_ACCEPTABLE
            407, PROXY_AUTHENTICATION_REQUIRED
            408, REQUEST_TIMEOUT
            409, CONFLICT
            410, GONE
            411, LENGTH_REQUIRED
            412, PRECONDITION_FAILED
            413, PAYLOAD_TOO_LARGE
            414, URI_TOO_LONG
            415, UNSUPPORTED_MEDIA_TYPE
            416, REQUESTED_RANGE_NOT_SATISFIABLE
            417, EXPECTATION_FAILED
            418, I_AM_A_TEAPOT
            422, UNPROCESSABLE_ENTITY
            423, LOCKED
            424, FAILED_DEPENDENCY
            425, TOO_EARLY
            426, UPGRADE_REQUIRED
            428, PRECONDITION_REQUIRED
            429, TOO_MANY_REQUESTS
            431, REQUEST_HEADER_FIELDS_TOO_LARGE
            451, UNAVAILABLE_FOR_LEGAL_REASONS
            500, INTERNAL_SERVER_ERROR
            501, NOT_IMPLEMENTED
            502, BAD_GATEWAY
            503, SERVICE_UNAVAILABLE
            504, GATEWAY_TIMEOUT
            505, HTTP_VERSION_NOT_SUPPORTED
            506, VARIANT_ALSO_NEGOTIATES
            507, INSUFFICIENT_STORAGE
            508, LOOP_DETECTED
            509, BANDWIDTH_LIMIT_EXCEEDED
            510, NOT_EXTENDED
            511, NETWORK_AUTHENTICATION_REQUIRED
            """)
    void namesStatusesLikeSpringHttpStatus(int status, String name) {
        assertThat(HttpStatuses.name(status)).isEqualTo(name);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(textBlock = """
            419, HTTP_419
            499, HTTP_499
            599, HTTP_599
            600, HTTP_600
            -1, HTTP_-1
            """)
    void statusWithoutANameIsNamedAfterItsNumber(int status, String name) {
        assertThat(HttpStatuses.name(status)).isEqualTo(name);
    }

    @ParameterizedTest(name = "{0} means {1}")
    @CsvSource(delimiter = '|', textBlock = """
            400 | Bad query: syntax or consistency error
            401 | Unauthenticated
            403 | Unauthorized
            404 | Non-existent resource
            409 | Conflict
            422 | Inconsistent data
            500 | Fatal API error
            503 | Service temporarily unavailable
            """)
    void documentedStatusesMeanWhatItcareDocuments(int status, String meaning) {
        assertThat(HttpStatuses.meaning(status)).isEqualTo(meaning);
    }

    @ParameterizedTest(name = "{0} means {1}")
    @CsvSource(delimiter = '|', textBlock = """
            405 | Method Not Allowed
            413 | Payload Too Large
            418 | I'm a teapot
            429 | Too Many Requests
            431 | Request Header Fields Too Large
            501 | Not Implemented
            502 | Bad Gateway
            504 | Gateway Timeout
            """)
    void undocumentedStatusesMeanTheirReasonPhrase(int status, String meaning) {
        assertThat(HttpStatuses.meaning(status)).isEqualTo(meaning);
    }

    @ParameterizedTest(name = "{0} means {1}")
    @CsvSource(delimiter = '|', textBlock = """
            419 | Client error
            499 | Client error
            520 | Server error
            599 | Server error
            600 | Unknown status
            0   | Unknown status
            """)
    void statusesWithoutAReasonPhraseMeanTheirClass(int status, String meaning) {
        assertThat(HttpStatuses.meaning(status)).isEqualTo(meaning);
    }

    @Test
    void everyErrorStatusHasANonBlankNameAndMeaning() {
        for (int status = 400; status < 600; status++) {
            assertThat(HttpStatuses.name(status)).as("name of %d", status).matches("[A-Z_0-9]+");
            assertThat(HttpStatuses.meaning(status)).as("meaning of %d", status).isNotBlank();
        }
    }

    @Test
    void repeatedLookupsReturnTheSameInstance() {
        assertThat(HttpStatuses.name(599)).isSameAs(HttpStatuses.name(599));
        assertThat(HttpStatuses.meaning(502)).isSameAs(HttpStatuses.meaning(502));
    }
}
