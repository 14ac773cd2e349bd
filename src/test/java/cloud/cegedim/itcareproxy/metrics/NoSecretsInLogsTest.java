package cloud.cegedim.itcareproxy.metrics;

import static cloud.cegedim.itcareproxy.support.FakeUpstream.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.proxy.ProxyServer;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.LogCapture;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import cloud.cegedim.itcareproxy.support.RawHttp;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.logging.json.runtime.JsonFormatter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A client's credentials never reach a log line, at any level: a random marker sent as a bearer token, in a cookie and
 * in query strings, through answers 200, 500 (retried), a reset and a gate refusal, with the application's categories at
 * DEBUG. Every record of every category is captured at the root logger and rendered in full (message, parameters,
 * exception with its stack, MDC) in both the text and the JSON format.
 */
@QuarkusTest
@TestProfile(NoSecretsInLogsTest.Debug.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class NoSecretsInLogsTest {

    public static class Debug implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.log.category.\"cloud.cegedim\".level", "DEBUG",
                    "quarkus.log.category.\"itcare-proxy\".level", "DEBUG",
                    "itcare-proxy.retry.backoff.initial", "5ms",
                    "itcare-proxy.retry.backoff.max", "20ms");
        }
    }

    private final PatternFormatter text = new PatternFormatter("%d %p [%c] (%t) %s %X%n%e%n");
    private final JsonFormatter json = new JsonFormatter();
    private LogCapture capture;

    @UpstreamResource.Upstream
    FakeUpstream upstream;

    @Inject
    ProxyServer proxy;

    String marker;
    ProxyClient client;

    @BeforeEach
    void setUp() {
        upstream.reset();
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        marker = HexFormat.of().formatHex(random);
        client = new ProxyClient(proxy.port());
        capture = LogCapture.of("");
    }

    @AfterEach
    void release() {
        capture.close();
    }

    /** Every captured record in full: as text, as JSON, and its raw parameters. */
    private String captured() {
        StringBuilder out = new StringBuilder();
        for (LogRecord record : capture.records()) {
            ExtLogRecord ext = ExtLogRecord.wrap(record);
            out.append(text.format(ext)).append(json.format(ext));
            Object[] parameters = record.getParameters();
            if (parameters != null) {
                for (Object parameter : parameters) {
                    out.append(' ').append(parameter);
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    @Test
    void theMarkerAppearsInNoLogLineWhateverTheUpstreamDid() throws IOException {
        assertThat(send("/compute/instances", "secrets-ok")).isEqualTo(200);
        upstream.answer(status(500));
        assertThat(send("/compute/instances/1?access_token=" + marker, "secrets-500")).isEqualTo(500);
        upstream.answer(request -> request.connection().close());
        assertThat(send("/compute/instances/2?token=" + marker, "secrets-reset")).isEqualTo(502);
        RawHttp.Answer refused = RawHttp.send(proxy.port(), "GET /compute/%2e%2e/x?token=" + marker
                + " HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer " + marker + "\r\nX-Request-Id: secrets-gate\r\n\r\n");
        assertThat(refused.status()).isEqualTo(400);

        // The access lines of all four requests and the upstream client's DEBUG line were captured: the capture works.
        FakeUpstream.await(java.time.Duration.ofSeconds(5), () -> captured().contains("requestId=secrets-gate"));
        assertThat(captured()).contains("requestId=secrets-ok", "requestId=secrets-500",
                "requestId=secrets-reset", "requestId=secrets-gate", "upstream attempt failed after sending");
        assertThat(upstream.last().header("Authorization")).isEqualTo("Bearer " + marker);
        assertThat(captured()).doesNotContain(marker);
    }

    private int send(String target, String requestId) {
        return client.send(client.request(target)
                .header("Authorization", "Bearer " + marker)
                .header("Cookie", "session=" + marker + "; theme=dark")
                .header("X-Request-Id", requestId)
                .GET().build()).statusCode();
    }
}
