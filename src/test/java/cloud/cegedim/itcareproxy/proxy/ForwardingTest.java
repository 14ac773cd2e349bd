package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.support.Bodies;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import cloud.cegedim.itcareproxy.support.RawHttp;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;

/** Forwarding per the contract: targets byte for byte, the header rules both ways, bodies streamed untouched. */
@QuarkusTest
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class ForwardingTest extends ProxyTestBase {

    @Test
    void forwardsPathAndQueryByteForByteUnderTheBasePath() {
        String target = "/compute/instances?page=0&names=a%2Cb&sort=name,asc&empty=&x=%C3%A9";
        HttpResponse<String> response = client.get(target);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"ok\":true}");
        assertThat(upstream.last().uri()).isEqualTo("/itcare" + target);
    }

    @Test
    void forwardsEveryMethod() {
        for (String method : new String[] { "GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE" }) {
            HttpResponse<String> response = client.send(client.request("/actions")
                    .method(method, HttpRequest.BodyPublishers.noBody()).build());
            assertThat(response.statusCode()).as(method).isEqualTo(200);
            assertThat(upstream.last().method()).isEqualTo(method);
        }
        assertThat(upstream.count()).isEqualTo(8);
    }

    @Test
    void dropsHopByHopHeadersBothWaysAndKeepsTheRest() throws Exception {
        upstream.answer(request -> request.response()
                .putHeader("Connection", "X-Upstream-Hop")
                .putHeader("X-Upstream-Hop", "secret")
                .putHeader("Keep-Alive", "timeout=5")
                .putHeader("Proxy-Authenticate", "Basic")
                .putHeader("Trailer", "X-Checksum")
                .putHeader("X-Kept", "yes")
                .end("done"));

        RawHttp.Answer answer = RawHttp.send(proxy.port(), "GET /compute/resources HTTP/1.1\r\n"
                + "Host: proxy.local\r\n"
                + "Connection: keep-alive, X-Client-Hop\r\n"
                + "X-Client-Hop: secret\r\n"
                + "Keep-Alive: timeout=5\r\n"
                + "Proxy-Connection: keep-alive\r\n"
                + "Proxy-Authorization: Basic c2VjcmV0\r\n"
                + "TE: trailers\r\n"
                + "Trailer: X-Checksum\r\n"
                + "Upgrade: h2c\r\n"
                + "X-End-To-End: yes\r\n"
                + "\r\n");

        FakeUpstream.Received seen = upstream.last();
        for (String hop : new String[] { "X-Client-Hop", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE",
                "Trailer", "Upgrade" }) {
            assertThat(seen.header(hop)).as(hop).isNull();
        }
        assertThat(seen.header("Connection")).isNotEqualToIgnoringCase("keep-alive, X-Client-Hop");
        assertThat(seen.header("X-End-To-End")).isEqualTo("yes");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("done");
        for (String hop : new String[] { "X-Upstream-Hop", "Keep-Alive", "Proxy-Authenticate", "Trailer" }) {
            assertThat(answer.header(hop)).as(hop).isNull();
        }
        assertThat(answer.header("X-Kept")).isEqualTo("yes");
    }

    @Test
    void closesTheConnectionWhenConnectionSaysCloseAmongOtherTokens() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /compute/instances HTTP/1.1\r\nHost: p\r\n"
                    + "Connection: X-Private, close\r\nX-Private: 1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 200 ").containsIgnoringCase("\r\nconnection: close\r\n")
                    .endsWith("{\"ok\":true}");
        }
        assertThat(upstream.last().header("X-Private")).isNull();
    }

    @Test
    void hostIsTheUpstreamsAndForwardedHeadersAreAppended() throws Exception {
        RawHttp.send(proxy.port(), "GET /health HTTP/1.1\r\n"
                + "Host: proxy.local:8080\r\n"
                + "X-Forwarded-For: 10.1.2.3\r\n"
                + "X-Forwarded-Proto: https\r\n"
                + "Connection: close\r\n"
                + "\r\n");

        FakeUpstream.Received seen = upstream.last();
        assertThat(seen.header("Host")).isEqualTo("127.0.0.1:" + upstream.port());
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("10.1.2.3, 127.0.0.1");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("https, http");
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("proxy.local:8080");
    }

    @Test
    void keepsASaneRequestIdAndReturnsIt() {
        HttpResponse<String> response = client.get("/health", "X-Request-Id", "app-42:7f3e.9");

        assertThat(upstream.last().header("X-Request-Id")).isEqualTo("app-42:7f3e.9");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("app-42:7f3e.9");
    }

    @Test
    void replacesAnInsaneRequestIdAndCreatesOneWhenAbsent() {
        HttpResponse<String> insane = client.get("/health", "X-Request-Id", "<script>alert(1)</script>");
        String replaced = upstream.last().header("X-Request-Id");
        HttpResponse<String> absent = client.get("/health");
        String created = upstream.last().header("X-Request-Id");

        assertThat(replaced).matches("[0-9a-f]{32}");
        assertThat(insane.headers().firstValue("X-Request-Id")).hasValue(replaced);
        assertThat(created).matches("[0-9a-f]{32}").isNotEqualTo(replaced);
        assertThat(absent.headers().firstValue("X-Request-Id")).hasValue(created);
    }

    @Test
    void passesAuthorizationAcceptContentTypeAndDryRunBothWaysUntouched() {
        upstream.answer(request -> request.response()
                .setStatusCode(202)
                .putHeader("Content-Type", "application/vnd.cegedim-it.v1+json;charset=UTF-8")
                .putHeader("ITCare-DryRun", request.getHeader("ITCare-DryRun"))
                .end("{\"id\":500061854,\"status\":\"IN_PROGRESS\"}"));

        HttpResponse<String> response = client.send(client.request("/compute/instances")
                .header("Authorization", "Bearer eyJhbGciOi.secret.sig")
                .header("Accept", "application/vnd.cegedim-it.v1+json")
                .header("Content-Type", "application/json; charset=utf-8")
                .header("ITCare-DryRun", "true")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"vm-1\"}"))
                .build());

        FakeUpstream.Received seen = upstream.last();
        assertThat(seen.header("Authorization")).isEqualTo("Bearer eyJhbGciOi.secret.sig");
        assertThat(seen.header("Accept")).isEqualTo("application/vnd.cegedim-it.v1+json");
        assertThat(seen.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(seen.header("ITCare-DryRun")).isEqualTo("true");
        assertThat(seen.bodyLength()).isEqualTo(15);
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/vnd.cegedim-it.v1+json;charset=UTF-8");
        assertThat(response.headers().firstValue("ITCare-DryRun")).hasValue("true");
        assertThat(response.body()).isEqualTo("{\"id\":500061854,\"status\":\"IN_PROGRESS\"}");
    }

    @Test
    void headAnd204And304CarryNoBody() throws Exception {
        upstream.answer(request -> {
            switch (request.getHeader("X-Want")) {
                case "204" -> request.response().setStatusCode(204).end();
                case "304" -> request.response().setStatusCode(304).putHeader("ETag", "\"v1\"").end();
                default -> request.response().putHeader("Content-Length", "11").end();
            }
        });

        RawHttp.Answer head = RawHttp.send(proxy.port(),
                "HEAD /health HTTP/1.1\r\nHost: p\r\nX-Want: head\r\nConnection: close\r\n\r\n");
        RawHttp.Answer noContent = RawHttp.send(proxy.port(),
                "DELETE /databases/postgresql/1 HTTP/1.1\r\nHost: p\r\nX-Want: 204\r\nConnection: close\r\n\r\n");
        RawHttp.Answer notModified = RawHttp.send(proxy.port(),
                "GET /health HTTP/1.1\r\nHost: p\r\nX-Want: 304\r\nConnection: close\r\n\r\n");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("11");
        assertThat(head.body()).isEmpty();
        assertThat(noContent.status()).isEqualTo(204);
        assertThat(noContent.body()).isEmpty();
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("ETag")).isEqualTo("\"v1\"");
        assertThat(notModified.body()).isEmpty();
    }

    @Test
    void keepsFixedLengthAndChunkedFramingOfResponses() throws Exception {
        upstream.answer(request -> Bodies.write(request.response(), 7, 3, "chunked".equals(request.getHeader("X-Want"))));

        RawHttp.Answer fixed = RawHttp.send(proxy.port(),
                "GET /storage/x HTTP/1.1\r\nHost: p\r\nX-Want: fixed\r\nConnection: close\r\n\r\n");
        RawHttp.Answer chunked = RawHttp.send(proxy.port(),
                "GET /storage/x HTTP/1.1\r\nHost: p\r\nX-Want: chunked\r\nConnection: close\r\n\r\n");

        assertThat(fixed.header("Content-Length")).isEqualTo(Integer.toString(3 * Bodies.CHUNK));
        assertThat(fixed.header("Transfer-Encoding")).isNull();
        assertThat(chunked.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(chunked.header("Content-Length")).isNull();
    }

    @Test
    void passesCompressedBodiesAsTheyAre() throws Exception {
        byte[] gzipped = Bodies.gzip("{\"content\":[],\"totalElements\":0}".repeat(50));
        upstream.answer(request -> request.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Encoding", "gzip")
                .putHeader("Vary", "Accept-Encoding")
                .end(Buffer.buffer(gzipped)));

        HttpResponse<byte[]> response = client.sendForBytes(client.request("/compute/instances")
                .header("Accept-Encoding", "gzip").GET().build());

        assertThat(upstream.last().header("Accept-Encoding")).isEqualTo("gzip");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(response.body()).isEqualTo(gzipped);
    }

    @Test
    void streamsAMultiMebibyteUploadByteExact() {
        int chunks = 128; // 8 MiB, under the default 10M limit
        HttpResponse<String> response = client.send(client.request("/storage/objects")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Bodies.whole(11, chunks))).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.last().bodyLength()).isEqualTo((long) chunks * Bodies.CHUNK);
        assertThat(upstream.last().bodySha256()).isEqualTo(Bodies.sha256(11, chunks));
    }

    @Test
    void streamsA100MebibyteDownloadByteExact() {
        int chunks = 1600; // 100 MiB
        upstream.answer(request -> Bodies.write(request.response(), 23, chunks, true));

        ProxyClient.Streamed streamed = client.stream(client.request("/storage/objects/big").GET().build());

        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.length()).isEqualTo((long) chunks * Bodies.CHUNK);
        assertThat(streamed.sha256()).isEqualTo(Bodies.sha256(23, chunks));
    }
}
