package cloud.cegedim.itcareproxy.proxy;

import static cloud.cegedim.itcareproxy.support.Envelopes.assertProxyError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.RawHttp;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.http.HttpServerRequest;

/**
 * Bad input gets a clear envelope and nothing else happens: every case here checks that the upstream received no
 * request at all.
 */
@QuarkusTest
@TestProfile(BadInputTest.SmallLimits.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class BadInputTest extends ProxyTestBase {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "itcare-proxy.limits.max-request-body", "1K",
                    "itcare-proxy.limits.max-header-size", "2K",
                    "itcare-proxy.limits.max-request-line", "1K",
                    "itcare-proxy.limits.max-concurrent-requests", "1");
        }
    }

    @AfterEach
    void upstreamSawNothing() {
        assertThat(upstream.received()).as("requests that reached the upstream").isEmpty();
    }

    @Test
    void refusesAnAbsoluteFormTarget() throws IOException {
        assertMalformed("GET http://evil.example/steal HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    }

    @Test
    void refusesConnect() throws IOException {
        assertMalformed("CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n");
    }

    @Test
    void refusesDotSegmentsInEveryEncoding() throws IOException {
        for (String path : new String[] { "/compute/../admin", "/compute/./x", "/compute/%2e%2e/admin",
                "/compute/.%2E/admin", "/compute/%252e%252e/admin", "/compute/%25252e%25252e/admin", "/compute/..%5cadmin",
                "/compute/%2e%2e%2fadmin", "/compute\\..\\admin", "/.." }) {
            assertMalformed("GET " + path + " HTTP/1.1\r\nHost: p\r\n\r\n");
        }
    }

    @Test
    void refusesInvalidPercentEncodingAndNul() throws IOException {
        for (String target : new String[] { "/compute/%zz", "/compute/%4", "/compute?q=%", "/compute/%00" }) {
            assertMalformed("GET " + target + " HTTP/1.1\r\nHost: p\r\n\r\n");
        }
    }

    @Test
    void refusesContentLengthWithTransferEncoding() throws IOException {
        assertMalformed("POST /compute/instances HTTP/1.1\r\nHost: p\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    }

    @Test
    void refusesInvalidAndDuplicateContentLength() throws IOException {
        assertMalformed("POST /compute/instances HTTP/1.1\r\nHost: p\r\nContent-Length: 4x\r\n\r\nabcd");
        assertMalformed("POST /compute/instances HTTP/1.1\r\nHost: p\r\nContent-Length: -1\r\n\r\n");
        assertMalformed("POST /compute/instances HTTP/1.1\r\nHost: p\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcd");
    }

    @Test
    void refusesObfuscatedTransferEncoding() throws IOException {
        assertMalformed("POST /compute/instances HTTP/1.1\r\nHost: p\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n");
        assertMalformed("POST /compute/instances HTTP/1.1\r\nHost: p\r\nTransfer-Encoding: chunked, identity\r\n\r\n"
                + "0\r\n\r\n");
    }

    @Test
    void refusesAnHttp11RequestWithoutHost() throws IOException {
        assertMalformed("GET /compute/instances HTTP/1.1\r\n\r\n");
    }

    @Test
    void answersAnOversizedHeaderSectionWith431() throws IOException {
        RawHttp.Answer answer = RawHttp.send(proxy.port(),
                "GET /compute/instances HTTP/1.1\r\nHost: p\r\nX-Big: " + "a".repeat(4096) + "\r\n\r\n");

        assertProxyError(answer, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE", ErrorCode.HEADERS_TOO_LARGE);
    }

    @Test
    void answersAnOverlongRequestLineWith414() throws IOException {
        RawHttp.Answer answer = RawHttp.send(proxy.port(),
                "GET /compute/" + "a".repeat(2048) + " HTTP/1.1\r\nHost: p\r\n\r\n");

        assertProxyError(answer, 414, "URI_TOO_LONG", ErrorCode.URI_TOO_LONG);
    }

    @Test
    void answersADeclaredBodyOverTheLimitWith413BeforeReadingIt() throws IOException {
        RawHttp.Answer answer = RawHttp.send(proxy.port(),
                "PUT /storage/objects/1 HTTP/1.1\r\nHost: p\r\nContent-Length: 1025\r\n\r\n" + "x".repeat(1025));

        assertProxyError(answer, 413, "PAYLOAD_TOO_LARGE", ErrorCode.REQUEST_TOO_LARGE);
        assertThat(answer.header("Connection")).isEqualTo("close");
    }

    @Test
    void answersAChunkedBodyThatCrossesTheLimitWith413() throws IOException {
        upstream.answer(request -> request.response().end("read it all"));
        StringBuilder chunks = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            chunks.append("64\r\n").append("y".repeat(100)).append("\r\n");
        }
        RawHttp.Answer answer = RawHttp.send(proxy.port(), "PUT /storage/objects/1 HTTP/1.1\r\nHost: p\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunks + "0\r\n\r\n");

        assertProxyError(answer, 413, "PAYLOAD_TOO_LARGE", ErrorCode.REQUEST_TOO_LARGE);
    }

    @Test
    void answersBeyondTheConcurrencyLimitWith503() throws Exception {
        CompletableFuture<HttpServerRequest> held = new CompletableFuture<>();
        upstream.answer(held::complete);
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(
                () -> client.send(client.request("/compute/instances").GET().build()));
        HttpServerRequest waiting = held.get(10, java.util.concurrent.TimeUnit.SECONDS);

        HttpResponse<String> second = client.send(client.request("/compute/instances")
                .method("GET", HttpRequest.BodyPublishers.noBody()).build());
        waiting.response().end("released");

        assertProxyError(second, 503, "SERVICE_UNAVAILABLE", ErrorCode.PROXY_OVERLOADED);
        assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).body()).isEqualTo("released");
        assertThat(upstream.received()).hasSize(1);
        upstream.reset();
        FakeUpstream.await(Duration.ofSeconds(5), () -> proxy.inFlight() == 0);
    }

    private void assertMalformed(String request) throws IOException {
        RawHttp.Answer answer = RawHttp.send(proxy.port(), request);
        assertProxyError(answer, 400, "BAD_REQUEST", ErrorCode.MALFORMED_REQUEST);
        assertThat(answer.header("Connection")).as(request).isEqualTo("close");
    }
}
