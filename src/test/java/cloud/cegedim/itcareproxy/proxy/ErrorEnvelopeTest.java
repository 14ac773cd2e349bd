package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.support.Bodies;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Every upstream answer of 400 or more leaves as ITCare's envelope, whatever the upstream put in its body. */
@QuarkusTest
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class ErrorEnvelopeTest extends ProxyTestBase {

    private static final Map<Integer, String[]> DOCUMENTED = Map.of(
            400, new String[] { "BAD_REQUEST", "Bad query: syntax or consistency error" },
            401, new String[] { "UNAUTHORIZED", "Unauthenticated" },
            403, new String[] { "FORBIDDEN", "Unauthorized" },
            404, new String[] { "NOT_FOUND", "Non-existent resource" },
            409, new String[] { "CONFLICT", "Conflict" },
            422, new String[] { "UNPROCESSABLE_ENTITY", "Inconsistent data" },
            500, new String[] { "INTERNAL_SERVER_ERROR", "Fatal API error" },
            503, new String[] { "SERVICE_UNAVAILABLE", "Service temporarily unavailable" });

    private static final String LB_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><center>"
            + "<h1>502 Bad Gateway</h1></center><hr><center>nginx/1.18.0 (lb-internal-07.prod)</center></body></html>";

    @Test
    void emptyBodiesOfEachDocumentedStatusGetTheDocumentedDefaults() {
        for (var documented : DOCUMENTED.entrySet()) {
            int status = documented.getKey();
            upstream.answer(request -> request.response().setStatusCode(status).end());

            HttpResponse<String> response = client.get("/compute/instances/500061854");

            assertThat(response.statusCode()).isEqualTo(status);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.headers().firstValue("X-ITCare-Proxy-Origin")).hasValue("upstream");
            assertThat(response.body()).isEqualTo("{\"status\":\"" + documented.getValue()[0] + "\",\"errorCode\":\""
                    + documented.getValue()[0] + "\",\"errorDesc\":\"\",\"errorMessage\":\"" + documented.getValue()[1]
                    + "\"}");
        }
    }

    @Test
    void aLoadBalancersHtmlPageIsReplacedWithoutLeakingAByte() {
        upstream.answer(request -> request.response().setStatusCode(502)
                .putHeader("Content-Type", "text/html").putHeader("Server", "nginx").end(LB_PAGE));

        HttpResponse<String> response = client.get("/networking/loadbalancers");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo(
                "{\"status\":\"BAD_GATEWAY\",\"errorCode\":\"BAD_GATEWAY\",\"errorDesc\":\"\",\"errorMessage\":\"Bad Gateway\"}");
        assertThat(response.body()).doesNotContain("nginx", "lb-internal", "html");
    }

    @Test
    void aCompleteUpstreamEnvelopePassesUnchanged() {
        String envelope = "{ \"status\": \"BAD_REQUEST\", \"errorCode\": \"INVALID_FIELD_VALUE\", "
                + "\"errorDesc\": \"name\", \"errorMessage\": \"Error on field 'name'\" }";
        upstream.answer(request -> request.response().setStatusCode(400)
                .putHeader("Content-Type", "application/json;charset=UTF-8").end(envelope));

        HttpResponse<String> response = client.get("/compute/instances?size=-1");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(envelope);
        assertThat(response.headers().firstValue("X-ITCare-Proxy-Origin")).hasValue("upstream");
    }

    @Test
    void aPartialUpstreamEnvelopeIsCompleted() {
        upstream.answer(request -> request.response().setStatusCode(409)
                .end("{\"errorCode\":\"ALREADY_EXISTS\",\"errorDesc\":\"vm-1\"}"));

        JsonObject body = new JsonObject(client.get("/compute/instances").body());

        assertThat(body.getMap()).containsExactly(
                Map.entry("status", "CONFLICT"),
                Map.entry("errorCode", "ALREADY_EXISTS"),
                Map.entry("errorDesc", "vm-1"),
                Map.entry("errorMessage", "Conflict"));
    }

    @Test
    void anErrorBodyOverTheInspectionLimitIsNotRead() {
        String big = "x".repeat(200 * 1024);
        upstream.answer(request -> request.response().setStatusCode(500).end(big));

        HttpResponse<String> response = client.get("/compute/resources");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).isEqualTo("{\"status\":\"INTERNAL_SERVER_ERROR\",\"errorCode\":"
                + "\"INTERNAL_SERVER_ERROR\",\"errorDesc\":\"\",\"errorMessage\":\"Fatal API error\"}");
        upstream.reset();
        assertThat(client.get("/compute/resources").statusCode()).isEqualTo(200);
    }

    @Test
    void aGzippedUpstreamEnvelopeIsReadAndSentPlain() throws Exception {
        byte[] gzipped = Bodies.gzip("{\"status\":\"NOT_FOUND\",\"errorCode\":\"INSTANCE_NOT_FOUND\",\"errorDesc\":\"42\","
                + "\"errorMessage\":\"No instance 42\"}");
        upstream.answer(request -> request.response().setStatusCode(404)
                .putHeader("Content-Encoding", "gzip").end(Buffer.buffer(gzipped)));

        HttpResponse<String> response = client.get("/compute/instances/42", "Accept-Encoding", "gzip");

        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new JsonObject(response.body()).getString("errorCode")).isEqualTo("INSTANCE_NOT_FOUND");
    }

    @Test
    void upstreamHeadersSuchAsRetryAfterAndDryRunStayOnErrors() {
        upstream.answer(request -> request.response().setStatusCode(503)
                .putHeader("Retry-After", "120").putHeader("ITCare-DryRun", "true")
                .putHeader("Content-Type", "text/plain").putHeader("Content-Language", "fr").end("maintenance"));

        HttpResponse<String> response = client.get("/databases/postgresql/7");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("120");
        assertThat(response.headers().firstValue("ITCare-DryRun")).hasValue("true");
        assertThat(response.headers().firstValue("Content-Language")).isEmpty();
        assertThat(response.body()).doesNotContain("maintenance");
    }

    @Test
    void problemJsonIsServedToClientsThatPreferIt() {
        upstream.answer(request -> request.response().setStatusCode(404).end());

        HttpResponse<String> response = client.get("/compute/instances/9", "Accept", "application/problem+json");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getInteger("status")).isEqualTo(404);
        assertThat(problem.getString("title")).isEqualTo("Non-existent resource");
        assertThat(problem.getString("errorCode")).isEqualTo("NOT_FOUND");
        assertThat(problem.getString("errorDesc")).isEmpty();
        assertThat(problem.getString("type")).isEqualTo("urn:itcare-proxy:error:NOT_FOUND");
    }

    @Test
    void successAnswersAreNeverTouchedEvenWhenTheyLookLikeErrors() {
        String body = "<html>not json</html>";
        upstream.answer(request -> request.response().setStatusCode(200).putHeader("Content-Type", "text/html").end(body));

        HttpResponse<String> response = client.get("/compute/resources");

        assertThat(response.body()).isEqualTo(body);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(response.headers().firstValue("X-ITCare-Proxy-Origin")).isEmpty();
    }
}
