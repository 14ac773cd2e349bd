package cloud.cegedim.itcareproxy.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.function.Function;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import io.vertx.core.json.JsonObject;

/** The exact shape of an error the proxy made itself, whichever client saw it. */
public final class Envelopes {

    private Envelopes() {
    }

    public static void assertProxyError(HttpResponse<String> response, int status, String statusName, ErrorCode code) {
        assertProxyError(response.statusCode(), response.body(), name -> response.headers().firstValue(name).orElse(null),
                status, statusName, code);
    }

    public static void assertProxyError(RawHttp.Answer answer, int status, String statusName, ErrorCode code) {
        assertProxyError(answer.status(), answer.body(), answer::header, status, statusName, code);
    }

    public static void assertProxyError(LoadClient.Result result, int status, String statusName, ErrorCode code) {
        assertThat(result.failure()).as("failure of %s", result.call().id()).isNull();
        assertProxyError(result.status(), result.body().toString(), result.headers()::get, status, statusName, code);
    }

    private static void assertProxyError(int actualStatus, String body, Function<String, String> header, int status,
            String statusName, ErrorCode code) {
        assertThat(actualStatus).as("status of %s", body).isEqualTo(status);
        assertThat(header.apply("Content-Type")).isEqualTo("application/json");
        assertThat(header.apply("X-ITCare-Proxy-Origin")).isEqualTo("proxy");
        assertThat(header.apply("X-Request-Id")).isNotBlank();
        JsonObject json = new JsonObject(body);
        assertThat(json.fieldNames()).containsExactlyInAnyOrder("status", "errorCode", "errorDesc", "errorMessage");
        assertThat(json.getString("status")).isEqualTo(statusName);
        assertThat(json.getString("errorCode")).isEqualTo(code.name());
        assertThat(json.getString("errorMessage")).isEqualTo(code.message());
        assertThat(json.getString("errorDesc")).isNotNull();
    }
}
