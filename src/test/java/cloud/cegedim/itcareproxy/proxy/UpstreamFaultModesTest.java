package cloud.cegedim.itcareproxy.proxy;

import static cloud.cegedim.itcareproxy.support.Envelopes.assertProxyError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.FaultyUpstream;
import cloud.cegedim.itcareproxy.support.FaultyUpstream.Fault;
import cloud.cegedim.itcareproxy.support.FaultyUpstreamResource;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Each way an upstream can misbehave at the socket level, through the proxy: the exact answer the client gets (status,
 * errorCode, origin, attempts) or, once a body has started, a cut connection, never a short body presented as
 * complete; how many times the request reached the upstream; and that no connection the upstream gave up on stays
 * open on the proxy's side.
 */
@QuarkusTest
@TestProfile(UpstreamFaultModesTest.ShortDeadlines.class)
@QuarkusTestResource(value = FaultyUpstreamResource.class, restrictToAnnotatedClass = true)
class UpstreamFaultModesTest {

    /**
     * Short deadlines so that each fault resolves in about a second; breakers off, so that the faults of one test do
     * not open a breaker for the next (breakers have their own tests); quick back-off, since waits are not the subject.
     */
    public static class ShortDeadlines implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "itcare-proxy.upstream.try-timeout", "500ms",
                    "itcare-proxy.upstream.request-timeout", "5s",
                    "itcare-proxy.retry.backoff.initial", "10ms",
                    "itcare-proxy.retry.backoff.max", "50ms",
                    "itcare-proxy.circuit-breaker.enabled", "false");
        }
    }

    /** Upper bound for a fault to reach the client: the proxy's deadlines plus room for a loaded machine. */
    private static final Duration SETTLED = Duration.ofSeconds(20);

    @FaultyUpstreamResource.Faulty
    FaultyUpstream upstream;

    @Inject
    ProxyServer proxy;

    ProxyClient client;

    @BeforeEach
    void connect() {
        upstream.reset();
        client = new ProxyClient(proxy.port());
    }

    @AfterEach
    void nothingLingers() {
        FakeUpstream.await(SETTLED, () -> upstream.lingeringConnections() == 0 && proxy.inFlight() == 0);
    }

    @Test
    void aResetBeforeAnyAnswerIsRetriedForGetThen502() {
        assertProxyErrorAfter(Fault.RESET_BEFORE_ANSWER, this::get, 3, 502, "BAD_GATEWAY",
                ErrorCode.UPSTREAM_UNREACHABLE);
    }

    @Test
    void aResetBeforeAnyAnswerReachesTheUpstreamOnceForPost() {
        assertProxyErrorAfter(Fault.RESET_BEFORE_ANSWER, this::post, 1, 502, "BAD_GATEWAY",
                ErrorCode.UPSTREAM_UNREACHABLE);
    }

    @Test
    void aResetInTheMiddleOfTheBodyCutsTheClientConnection() throws IOException {
        upstream.faults(request -> Fault.RESET_MID_BODY);
        String id = id();

        assertCut(id, FaultyUpstream.body(id).length / 2);
        assertThat(upstream.received(id)).isEqualTo(1);
    }

    @Test
    void headersThenSilenceIsUpstreamUnreachableOnceTheConnectionIdles() {
        upstream.faults(request -> Fault.HEADERS_THEN_STALL);
        String id = id();

        long started = System.nanoTime();
        HttpResponse<String> response = client.send(get(id));

        assertProxyError(response, 502, "BAD_GATEWAY", ErrorCode.UPSTREAM_UNREACHABLE);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(SETTLED);
        assertThat(response.headers().firstValue("X-ITCare-Proxy-Attempts")).isEmpty();
        assertThat(upstream.received(id)).isEqualTo(1);
    }

    @Test
    void aTrickledBodyArrivesWholeAndUntouched() {
        upstream.faults(request -> Fault.TRICKLE_BODY);
        String id = id();

        HttpResponse<byte[]> response = client.sendForBytes(get(id));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(Arrays.copyOf(FaultyUpstream.body(id), FaultyUpstream.TRICKLE_LENGTH));
        assertThat(response.headers().firstValue("Content-Length")).hasValue("" + FaultyUpstream.TRICKLE_LENGTH);
        assertThat(response.headers().firstValue("X-ITCare-Proxy-Attempts")).isEmpty();
        assertThat(upstream.received(id)).isEqualTo(1);
    }

    @Test
    void aBodyShorterThanItsContentLengthCutsTheClientConnection() throws IOException {
        upstream.faults(request -> Fault.SHORT_BODY_THEN_CLOSE);
        String id = id();

        assertCut(id, FaultyUpstream.body(id).length / 10);
        assertThat(upstream.received(id)).isEqualTo(1);
    }

    @Test
    void anInvalidStatusLineIsUpstreamUnreachableRetriedForGet() {
        assertProxyErrorAfter(Fault.INVALID_STATUS_LINE, this::get, 3, 502, "BAD_GATEWAY",
                ErrorCode.UPSTREAM_UNREACHABLE);
    }

    @Test
    void anInvalidStatusLineReachesTheUpstreamOnceForPost() {
        assertProxyErrorAfter(Fault.INVALID_STATUS_LINE, this::post, 1, 502, "BAD_GATEWAY",
                ErrorCode.UPSTREAM_UNREACHABLE);
    }

    @Test
    void anUpstreamThatNeverAnswersIsATimeoutRetriedForGet() {
        assertProxyErrorAfter(Fault.NEVER_ANSWER, this::get, 3, 504, "GATEWAY_TIMEOUT",
                ErrorCode.UPSTREAM_TIMEOUT);
    }

    @Test
    void anUpstreamThatNeverAnswersIsOneTimeoutForPost() {
        assertProxyErrorAfter(Fault.NEVER_ANSWER, this::post, 1, 504, "GATEWAY_TIMEOUT",
                ErrorCode.UPSTREAM_TIMEOUT);
    }

    /**
     * A client that stops in the middle of its body leaves the upstream waiting for the rest: nothing moves on the
     * attempt for upstream.try-timeout, and the client gets the timeout envelope on a closed connection (its body will
     * never be read). Only a request with a body has this idle timeout; without it this test hangs for the client's.
     */
    @Test
    void aBodyThatStallsOnItsWayUpIsATimeout() throws IOException {
        String id = id();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout((int) SETTLED.toMillis());
            socket.getOutputStream().write(("PUT /compute/instances/1 HTTP/1.1\r\nHost: p\r\n" + FaultyUpstream.TEST_ID
                    + ": " + id + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            while (read(in, answer)) {
                // until the proxy closes
            }
        }
        String text = answer.toString(StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("HTTP/1.1 504 ").containsIgnoringCase("connection: close");
        assertThat(text.substring(text.indexOf("\r\n\r\n") + 4))
                .contains("\"errorCode\":\"" + ErrorCode.UPSTREAM_TIMEOUT.name() + "\"")
                .contains("upstream.try-timeout");
    }

    @Test
    void healthyAgainAfterEveryFault() throws IOException {
        upstream.faults(request -> Fault.RESET_MID_BODY);
        String cut = id();
        assertCut(cut, FaultyUpstream.body(cut).length / 2);
        upstream.reset();
        String id = id();

        HttpResponse<byte[]> response = client.sendForBytes(get(id));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(FaultyUpstream.body(id));
    }

    /**
     * A fault that ends in a proxy error after {@code attempts} attempts, each of which reached the upstream: three for
     * a GET (retried), one for a POST (never sent twice, so no attempts header).
     */
    private void assertProxyErrorAfter(Fault fault, Function<String, HttpRequest> request, int attempts, int status,
            String statusName, ErrorCode code) {
        upstream.faults(any -> fault);
        String id = id();

        HttpResponse<String> response = client.send(request.apply(id));

        assertProxyError(response, status, statusName, code);
        // The header is there only when there was more than one attempt.
        assertThat(response.headers().firstValue("X-ITCare-Proxy-Attempts"))
                .isEqualTo(attempts > 1 ? Optional.of(Integer.toString(attempts)) : Optional.empty());
        assertThat(upstream.received(id)).isEqualTo(attempts);
    }

    /**
     * Sends a GET on a raw socket, reads the head and the partial body the upstream sent, lets the upstream cut, and
     * reads until the proxy closes: exactly those bytes, under the upstream's Content-Length, so that no client can take
     * the answer for complete. (A raw socket: the JDK client silently sends a GET again when a connection breaks.)
     */
    private void assertCut(String id, int partial) throws IOException {
        int whole = FaultyUpstream.body(id).length;
        upstream.holdCuts();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout((int) SETTLED.toMillis());
            socket.getOutputStream().write(("GET /compute/instances HTTP/1.1\r\nHost: p\r\n" + FaultyUpstream.TEST_ID
                    + ": " + id + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            while (bodyBytes(answer) < partial) {
                read(in, answer);
            }
            upstream.releaseCuts();
            while (read(in, answer)) {
                // until the proxy closes or resets
            }
        }
        String text = answer.toString(StandardCharsets.ISO_8859_1);
        String head = text.substring(0, text.indexOf("\r\n\r\n"));
        assertThat(head).startsWith("HTTP/1.1 200 ").containsIgnoringCase("content-length: " + whole);
        assertThat(bodyBytes(answer)).as("body bytes before the connection ended").isEqualTo(partial);
    }

    /** Body bytes read so far, or -1 before the end of the head. */
    private static int bodyBytes(ByteArrayOutputStream answer) {
        int headEnd = answer.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        return headEnd < 0 ? -1 : answer.size() - headEnd - 4;
    }

    /** One read; false at the end of the stream or a reset. */
    private static boolean read(InputStream in, ByteArrayOutputStream into) throws IOException {
        byte[] chunk = new byte[8192];
        try {
            int n = in.read(chunk);
            if (n < 0) {
                return false;
            }
            into.write(chunk, 0, n);
            return true;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the proxy neither finished nor cut the answer within " + SETTLED, e);
        } catch (SocketException e) {
            return false;
        }
    }

    private HttpRequest get(String id) {
        return client.request("/compute/instances").header(FaultyUpstream.TEST_ID, id).GET().build();
    }

    private HttpRequest post(String id) {
        return client.request("/compute/instances").header(FaultyUpstream.TEST_ID, id)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"vm\"}")).build();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
