package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.LogCapture;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A client that goes away while its answer is on the way must cost nobody else anything. Once the upstream's answer has
 * fully arrived, its connection is healthy and back in the pool, perhaps already carrying the next request: the proxy
 * must not close it (Vert.x closes a connection when a request whose response has ended is reset). Closing it would
 * fail the next request, count a failure against ITCare's breaker and, for a POST, answer 502 for a creation the
 * upstream may have received. One upstream connection here, so that the next request surely gets the same one.
 */
@QuarkusTest
@TestProfile(ClientGoneTest.OneUpstreamConnection.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class ClientGoneTest extends ProxyTestBase {

    public static class OneUpstreamConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("itcare-proxy.upstream.max-connections", "1");
        }
    }

    @Test
    void aClientGoneBeforeItsCompleteAnswerLeavesTheUpstreamConnectionToTheNextRequest() throws Exception {
        ConcurrentLinkedQueue<HttpServerRequest> held = holdGetsAnswerOthers();

        int connectionsBefore = leaveWhileTheUpstreamHoldsTheAnswer("gone-1", held);
        HttpServerRequest orphan = held.poll();
        orphan.response().putHeader("Content-Type", "application/json").end("{\"orphan\":true}");

        HttpResponse<String> next = client.send(client.request("/compute/instances/7")
                .header("X-Test-Id", "next").GET().build());

        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"for\":\"next\"}");
        assertThat(next.headers().firstValue("X-ITCare-Proxy-Attempts")).isEmpty();
        assertThat(upstream.connections()).as("upstream connections opened").isEqualTo(connectionsBefore);
    }

    @Test
    void aPostWaitingForTheOnlyConnectionIsSentOnceAndAnsweredWhenTheClientBeforeItWentAway() throws Exception {
        ConcurrentLinkedQueue<HttpServerRequest> held = holdGetsAnswerOthers();

        int connectionsBefore = leaveWhileTheUpstreamHoldsTheAnswer("gone-2", held);
        // The POST waits in the proxy for the one upstream connection, which the held GET occupies.
        CompletableFuture<HttpResponse<String>> creation = java.net.http.HttpClient.newHttpClient().sendAsync(
                client.request("/compute/instances").header("X-Test-Id", "create").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"vm\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        FakeUpstream.await(Duration.ofSeconds(10), () -> proxy.inFlight() == 1);
        HttpServerRequest orphan = held.poll();
        orphan.response().putHeader("Content-Type", "application/json").end("{\"orphan\":true}");

        HttpResponse<String> created = creation.get(20, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(created.statusCode()).isEqualTo(202);
        assertThat(created.body()).isEqualTo("{\"for\":\"create\"}");
        assertThat(upstream.received().stream().filter(r -> "create".equals(r.header("X-Test-Id"))).count()).isOne();
        assertThat(upstream.connections()).as("upstream connections opened").isEqualTo(connectionsBefore);
    }

    @Test
    void aClientGoneInTheMiddleOfALargeBodyHasItsUpstreamConnectionClosedNotDrained() throws Exception {
        CompletableFuture<Long> upstreamClosedAfter = new CompletableFuture<>();
        upstream.answer(request -> {
            long started = System.nanoTime();
            request.connection().closeHandler(closed -> upstreamClosedAfter.complete(System.nanoTime() - started));
            // 50 MiB, far more than the socket buffers on the way can hold.
            cloud.cegedim.itcareproxy.support.Bodies.write(request.response(), 5, 800, false);
        });
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.getOutputStream().write("GET /compute/files/big HTTP/1.1\r\nHost: itcare\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] head = socket.getInputStream().readNBytes(64 * 1024);
            assertThat(new String(head, 0, 15, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200 OK");
            socket.setSoLinger(true, 0);
        }

        // Drained instead, the connection would go back to the pool and stay open for upstream.keep-alive-timeout.
        assertThat(upstreamClosedAfter.get(10, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
        FakeUpstream.await(Duration.ofSeconds(10), () -> proxy.inFlight() == 0);
    }

    @Test
    void aRetryWaitingForItsBackOffIsNotSentOnceItsClientHasGone() throws Exception {
        // Every first attempt gets a 503 with Retry-After; "gone" asks for 2 s, "after" for 3 s, then gets a 200.
        upstream.answer(request -> {
            String id = request.getHeader("X-Test-Id");
            long seen = upstream.received().stream().filter(r -> id.equals(r.header("X-Test-Id"))).count();
            if (seen == 1) {
                request.response().setStatusCode(503).putHeader("Retry-After", "gone".equals(id) ? "2" : "3").end();
            } else {
                request.response().putHeader("Content-Type", "application/json").end("{\"for\":\"" + id + "\"}");
            }
        });
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.getOutputStream().write("GET /compute/instances/7 HTTP/1.1\r\nHost: itcare\r\nX-Test-Id: gone\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            FakeUpstream.await(Duration.ofSeconds(10), () -> upstream.count() == 1);
            socket.setSoLinger(true, 0);
        }
        FakeUpstream.await(Duration.ofSeconds(10), () -> proxy.inFlight() == 0);

        // Its retry, 2 s after the 503, falls due well before this request's, 3 s after a later 503.
        HttpResponse<String> after = client.send(client.request("/compute/instances/8").header("X-Test-Id", "after")
                .GET().build());

        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).isEqualTo("{\"for\":\"after\"}");
        assertThat(upstream.received()).extracting(r -> r.header("X-Test-Id")).containsExactly("gone", "after", "after");
    }

    /** GETs of {@code /compute/instances/hold} are kept unanswered in the returned queue; others are answered. */
    private ConcurrentLinkedQueue<HttpServerRequest> holdGetsAnswerOthers() {
        ConcurrentLinkedQueue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();
        upstream.answer(request -> {
            if (request.uri().endsWith("/compute/instances/hold")) {
                held.add(request);
                return;
            }
            request.response().setStatusCode("POST".equals(request.method().name()) ? 202 : 200)
                    .putHeader("Content-Type", "application/json")
                    .end("{\"for\":\"" + request.getHeader("X-Test-Id") + "\"}");
        });
        return held;
    }

    /**
     * Sends a GET that the upstream holds, then resets the client connection (RST, as a client killed mid-request
     * does) and waits for the proxy to have let the exchange go. Returns the upstream connections opened by then.
     */
    private int leaveWhileTheUpstreamHoldsTheAnswer(String id, ConcurrentLinkedQueue<HttpServerRequest> held)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /compute/instances/hold HTTP/1.1\r\nHost: itcare\r\nX-Test-Id: " + id + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            FakeUpstream.await(Duration.ofSeconds(10), () -> !held.isEmpty());
            socket.setSoLinger(true, 0);
        }
        FakeUpstream.await(Duration.ofSeconds(10), () -> proxy.inFlight() == 0);
        return upstream.connections();
    }

    @Test
    void clientsThatLeaveWhileTheBodyTricklesInLeaveNoWarning() throws Exception {
        // A chunk every millisecond for two seconds: whenever a client leaves, the next chunk is close behind its FIN,
        // often read in the same event-loop turn, after Netty has closed the channel but before Vert.x knows it. The
        // pipe's write then fails inside Netty's HTTP encoder; closing the connection from that failure re-entered the
        // encoder, and Netty logged "Failed to mark a promise as failure" (IllegalReferenceCountException) for such
        // clients: about 140 in one smoke run of the benchmark.
        upstream.answer(request -> {
            HttpServerResponse response = request.response().setChunked(true);
            long[] sent = { 0 };
            Vertx owner = Vertx.currentContext().owner();
            owner.setPeriodic(1, id -> {
                if (response.closed() || ++sent[0] > 2000) {
                    owner.cancelTimer(id);
                    if (!response.closed()) {
                        response.end();
                    }
                    return;
                }
                response.write(Buffer.buffer(new byte[1024]));
            });
        });
        try (LogCapture everything = LogCapture.of("")) {
            for (int client = 0; client < 100; client++) {
                try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
                    socket.getOutputStream().write("GET /storage/trickle HTTP/1.1\r\nHost: p\r\n\r\n".getBytes());
                    byte[] some = socket.getInputStream().readNBytes(2048 + client * 64);
                    assertThat(new String(some, 0, 15)).isEqualTo("HTTP/1.1 200 OK");
                }
            }
            FakeUpstream.await(Duration.ofSeconds(20), () -> proxy.inFlight() == 0);

            assertThat(everything.records())
                    .filteredOn(record -> record.getLevel().intValue() >= Level.WARNING.intValue())
                    .extracting(record -> record.getLoggerName() + ": " + LogCapture.message(record))
                    .isEmpty();
        }
    }
}
