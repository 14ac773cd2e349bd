package cloud.cegedim.itcareproxy.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorsTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "400, BAD_REQUEST, Bad query",
            "404, NOT_FOUND, Non-existent resource",
            "413, PAYLOAD_TOO_LARGE, Request Entity Too Large",
            "422, UNPROCESSABLE_ENTITY, Inconsistent data",
            "429, TOO_MANY_REQUESTS, Too Many Requests",
            "503, SERVICE_UNAVAILABLE, Service temporarily unavailable",
            "504, GATEWAY_TIMEOUT, Gateway Timeout",
            "520, SERVER_ERROR_520, Server Error (520)" })
    void namesAStatusLikeSpringAndGivesItsDocumentedMeaning(int status, String name, String meaning) {
        assertThat(Errors.statusName(status)).isEqualTo(name);
        assertThat(Errors.meaning(status)).isEqualTo(meaning);
    }
}
