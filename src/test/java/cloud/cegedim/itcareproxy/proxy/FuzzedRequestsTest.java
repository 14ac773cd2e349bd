package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.RawHttp;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.engine.SourceOfRandomness;

/**
 * Random methods, targets, headers and bodies, sent byte for byte through the proxy to a recording upstream, with a
 * canary server on another port that no request may ever reach. For every request: an answer; an envelope for every
 * error; upstream, exactly the target that was sent, under {@code /itcare}, without any hop-by-hop field or field that
 * {@code Connection} named; and exactly as many upstream requests as answers that came from it.
 * <p>
 * The requests come from jqwik's arbitraries, sampled with a fixed seed inside a {@code @QuarkusTest}: jqwik's own
 * engine cannot run Quarkus's JUnit extension, which starts the proxy, so there is no shrinking. A failure names the
 * seed and the request, and the same seed draws the same requests again.
 */
@QuarkusTest
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class FuzzedRequestsTest extends ProxyTestBase {

    private static final long SEED = 8_2026L;
    private static final int TRIES = 250;
    private static final String FUZZ_ID = "X-Fuzz-Id";
    private static final String NAMED_BY_CONNECTION = "X-Hop-Named";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "proxy-authenticate", "te", "trailer", "upgrade",
            NAMED_BY_CONNECTION.toLowerCase(Locale.ROOT));

    /** One generated request: its parts before they are put on the wire. */
    record Fuzzed(String method, String target, List<String> headers, byte[] body) {
        byte[] wire(int id) {
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: proxy.test\r\n").append(FUZZ_ID).append(": ").append(id).append("\r\n");
            headers.forEach(header -> head.append(header).append("\r\n"));
            // Every request names a field in Connection and closes its connection, so each answer ends with a close.
            head.append("Connection: close, ").append(NAMED_BY_CONNECTION).append("\r\n")
                    .append(NAMED_BY_CONNECTION).append(": must-not-cross\r\n");
            if (body.length > 0) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            bytes.writeBytes(body);
            return bytes.toByteArray();
        }
    }

    private FakeUpstream canary;

    @BeforeEach
    void startCanary() {
        canary = new FakeUpstream().start();
    }

    @AfterEach
    void stopCanary() {
        canary.stop();
    }

    @Test
    void everyRandomRequestGetsAnAnswerAndOnlyTheUpstreamSeesOnlyWhatItShould() throws IOException {
        // jqwik's sampling draws from the thread's source of randomness, which this seeds.
        SourceOfRandomness.create(Long.toString(SEED));
        List<Fuzzed> requests = requests(canary.port()).sampleStream().limit(TRIES).toList();
        Map<String, String> sentTargets = new HashMap<>();
        int fromUpstream = 0;
        for (int id = 0; id < TRIES; id++) {
            Fuzzed request = requests.get(id);
            String what = "seed " + SEED + ", request " + id + ": " + request.method() + " " + request.target() + " "
                    + request.headers() + " body " + request.body().length + " bytes";
            RawHttp.Answer answer;
            try {
                answer = RawHttp.send(proxy.port(), request.wire(id));
            } catch (IOException e) {
                throw new AssertionError("no answer to " + what, e);
            }
            if (answer.status() >= 400) {
                assertEnvelope(answer, request.method().equals("HEAD"), what);
            } else {
                assertThat(answer.header("X-ITCare-Proxy-Origin")).as(what).isNull();
                fromUpstream++;
                sentTargets.put(Integer.toString(id), request.target());
            }
        }

        assertThat(canary.received()).as("requests that reached the canary on port %d", canary.port()).isEmpty();
        List<FakeUpstream.Received> received = upstream.received();
        assertThat(received).hasSize(fromUpstream);
        for (FakeUpstream.Received seen : received) {
            String id = seen.header(FUZZ_ID);
            assertThat(seen.uri()).as("request %s", id).isEqualTo("/itcare" + sentTargets.get(id));
            List<String> names = new ArrayList<>();
            seen.headers().names().forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
            assertThat(names).as("header names of request %s upstream", id).doesNotContainAnyElementsOf(HOP_BY_HOP);
            assertThat(seen.headers().getAll("transfer-encoding")).as("framing of request %s", id)
                    .allMatch("chunked"::equalsIgnoreCase);
        }
    }

    /** The envelope's headers, and its body unless the request was a HEAD (whose answers never carry one). */
    private static void assertEnvelope(RawHttp.Answer answer, boolean head, String what) {
        String seen = what + ", answered " + answer.head() + "\r\n\r\n" + answer.body();
        assertThat(answer.header("X-ITCare-Proxy-Origin")).as(seen).isEqualTo("proxy");
        assertThat(answer.header("Content-Type")).as(seen).isEqualTo("application/json");
        if (head) {
            assertThat(answer.body()).as(seen).isEmpty();
            return;
        }
        JsonObject envelope;
        try {
            envelope = new JsonObject(answer.body());
        } catch (RuntimeException e) {
            throw new AssertionError("not an envelope: " + seen, e);
        }
        assertThat(envelope.fieldNames()).as(seen).containsExactlyInAnyOrder("status", "errorCode", "errorDesc",
                "errorMessage");
        envelope.forEach(field -> assertThat(field.getValue()).as(seen).isInstanceOf(String.class));
    }

    private static Arbitrary<Fuzzed> requests(int canaryPort) {
        return Combinators.combine(methods(), targets(canaryPort), headers(canaryPort).list().ofMaxSize(6), bodies())
                .as(Fuzzed::new);
    }

    private static Arbitrary<String> methods() {
        return Arbitraries.oneOf(
                Arbitraries.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"),
                Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(12));
    }

    /** Origin-form paths from plain and hostile segments, and targets that name another server. */
    private static Arbitrary<String> targets(int canaryPort) {
        String canary = "127.0.0.1:" + canaryPort;
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of("compute", "instances", "databases", "actions", "500061854", "networking"),
                Arbitraries.strings().withChars("abcXYZ09-._~").ofMinLength(1).ofMaxLength(8),
                Arbitraries.of("..", ".", "%2e%2e", "%2E%2e", "%252e%252e", "..%5c", "%2F", "%00", "%", "%zz", "%c3%a9",
                        "", "a;b", "@" + canary, "a\\b", "a#frag"));
        Arbitrary<String> path = segment.list().ofMinSize(1).ofMaxSize(6).map(parts -> "/" + String.join("/", parts));
        Arbitrary<String> query = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().withChars("abc=&%20+?/:@").ofMaxLength(20).map(q -> "?" + q));
        Arbitrary<String> originForm = Combinators.combine(path, query).as(String::concat);
        Arbitrary<String> elsewhere = Arbitraries.of("http://" + canary + "/compute/instances", "http://" + canary,
                "https://" + canary + "/x", "//" + canary + "/compute/instances", canary, "*",
                "http://" + canary + "@127.0.0.1/compute");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, originForm),
                net.jqwik.api.Tuple.of(1, elsewhere));
    }

    /**
     * Hop-by-hop fields, fields pointing at the canary, and plain end-to-end ones. ({@code Expect: 100-continue} is left
     * to HostileClientTest: its interim answer is not something RawHttp reads.)
     */
    private static Arbitrary<String> headers(int canaryPort) {
        String canary = "127.0.0.1:" + canaryPort;
        return Arbitraries.oneOf(
                Arbitraries.of("Keep-Alive: timeout=5", "Proxy-Connection: keep-alive", "Proxy-Authorization: Basic eDp5",
                        "TE: trailers", "Trailer: X-Checksum", "Upgrade: websocket", "Upgrade: h2c",
                        "X-Forwarded-Host: " + canary, "Forwarded: host=" + canary, "X-Original-URL: http://" + canary,
                        "Accept: application/json", "ITCare-DryRun: true", "Authorization: Bearer abc",
                        "Transfer-Encoding: gzip"),
                Arbitraries.strings().withChars("abcdefXYZ-").ofMinLength(1).ofMaxLength(10)
                        .map(name -> "X-" + name + ": " + name));
    }

    private static Arbitrary<byte[]> bodies() {
        return Arbitraries.oneOf(Arbitraries.just(new byte[0]),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2048));
    }
}
