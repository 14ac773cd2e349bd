package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.support.Envelopes;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/** The request deadline, shorter here than one attempt's: it is the one that answers 504. */
@QuarkusTest
@TestProfile(RequestTimeoutTest.ShortRequestDeadline.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class RequestTimeoutTest extends ProxyTestBase {

    public static class ShortRequestDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "itcare-proxy.upstream.try-timeout", "10s",
                    "itcare-proxy.upstream.request-timeout", "500ms",
                    "itcare-proxy.retry.enabled", "false");
        }
    }

    @Test
    void noAnswerWithinTheRequestTimeoutIsUpstreamTimeout() {
        upstream.answer(request -> {
        });

        HttpResponse<String> response = client.get("/compute/instances");

        Envelopes.assertProxyError(response, 504, "GATEWAY_TIMEOUT", ErrorCode.UPSTREAM_TIMEOUT);
        assertThat(new JsonObject(response.body()).getString("errorDesc")).isEqualTo("no answer within upstream.request-timeout");
        assertThat(upstream.count()).isEqualTo(1);
    }
}
