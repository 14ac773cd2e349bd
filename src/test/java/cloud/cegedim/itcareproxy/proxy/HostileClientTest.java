package cloud.cegedim.itcareproxy.proxy;

import static cloud.cegedim.itcareproxy.support.Envelopes.assertProxyError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.RawHttp;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Clients that hold connections or send what no client should: each gets its documented answer, the upstream nothing. */
@QuarkusTest
@TestProfile(HostileClientTest.ShortDeadlines.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class HostileClientTest extends ProxyTestBase {

    public static class ShortDeadlines implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("itcare-proxy.server.header-timeout", "1s", "itcare-proxy.server.idle-timeout", "2s");
        }
    }

    @Test
    void aSlowlorisIsCutWhileItIsStillTrickling() throws IOException {
        String head = "GET /compute/instances HTTP/1.1\r\nHost: p\r\nX-Slow: " + "a".repeat(100) + "\r\n\r\n";
        boolean cut = false;
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(100);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < head.length() && !cut; i++) {
                out.write(head.charAt(i));
                out.flush();
                cut = closedWithin(in);
            }
        } catch (SocketException e) {
            cut = true;
        }

        assertThat(cut).as("the proxy closed the connection before the 11 s header section was complete").isTrue();
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedByTheIdleTimeout() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.getOutputStream().write("GET /compute/instances HTTP/1.1\r\nHost: p\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int read;
            long total = 0;
            while ((read = in.read(buffer)) > 0) {
                total += read;
            }

            assertThat(read).as("end of stream after the answer").isEqualTo(-1);
            assertThat(total).isGreaterThan(0);
        }
        assertThat(upstream.received()).hasSize(1);
    }

    @Test
    void controlCharactersInHeaderValuesAreRefused() throws IOException {
        for (String value : new String[] { "a\rb", "a\u0000b" }) {
            RawHttp.Answer answer = RawHttp.send(proxy.port(),
                    "GET /compute/instances HTTP/1.1\r\nHost: p\r\nX-Bad: " + value + "\r\n\r\n");
            assertProxyError(answer, 400, "BAD_REQUEST", ErrorCode.MALFORMED_REQUEST);
        }
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void aMebibyteHeaderSectionGets431() throws IOException {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 1024; i++) {
            headers.append("X-Filler-").append(i).append(": ").append("f".repeat(1000)).append("\r\n");
        }
        RawHttp.Answer answer = RawHttp.send(proxy.port(), "GET /compute/instances HTTP/1.1\r\nHost: p\r\n" + headers + "\r\n");

        assertProxyError(answer, 431, "REQUEST_HEADER_FIELDS_TOO_LARGE", ErrorCode.HEADERS_TOO_LARGE);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void aTenThousandSegmentPathAndAnOverlongQueryGet414() throws IOException {
        RawHttp.Answer segments = RawHttp.send(proxy.port(), "GET " + "/a".repeat(10_000) + " HTTP/1.1\r\nHost: p\r\n\r\n");
        RawHttp.Answer query = RawHttp.send(proxy.port(),
                "GET /compute/instances?names=" + "n".repeat(20_000) + " HTTP/1.1\r\nHost: p\r\n\r\n");

        assertProxyError(segments, 414, "URI_TOO_LONG", ErrorCode.URI_TOO_LONG);
        assertProxyError(query, 414, "URI_TOO_LONG", ErrorCode.URI_TOO_LONG);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void expectContinueWithAnOversizedBodyGets413WithoutAContinue() throws IOException {
        RawHttp.Answer answer = RawHttp.send(proxy.port(), "PUT /storage/objects/1 HTTP/1.1\r\nHost: p\r\n"
                + "Content-Length: 20000000\r\nExpect: 100-continue\r\n\r\n");

        assertProxyError(answer, 413, "PAYLOAD_TOO_LARGE", ErrorCode.REQUEST_TOO_LARGE);
        assertThat(answer.head()).doesNotContain("100 Continue");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void expectContinueWithASmallBodyIsAnsweredAndForwarded() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /storage/objects/2 HTTP/1.1\r\nHost: p\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] interim = new byte[25];
            int read = socket.getInputStream().readNBytes(interim, 0, interim.length);
            assertThat(new String(interim, 0, read, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            FakeUpstream.await(Duration.ofSeconds(10), () -> upstream.count() >= 1);
        }
        assertThat(upstream.last().bodyLength()).isEqualTo(5);
        assertThat(upstream.last().header("Expect")).isNull();
    }

    @Test
    void anHttp10RequestWithoutHostIsForwarded() throws IOException {
        RawHttp.Answer answer = RawHttp.send(proxy.port(), "GET /compute/instances HTTP/1.0\r\n\r\n");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"ok\":true}");
        assertThat(upstream.last().header("Host")).isEqualTo("127.0.0.1:" + upstream.port());
    }

    /** Whether the peer closed the connection (reading blocks at most the socket's short timeout). */
    private static boolean closedWithin(InputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }
}
