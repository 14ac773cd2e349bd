package cloud.cegedim.itcareproxy.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.proxy.ProxyServer;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.InMemorySpans;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The export path an operator switches on with run-time keys only (the SDK enabled, an OTLP/HTTP endpoint): the
 * proxy's spans reach a collector, and what is sent holds neither the query nor the credentials.
 */
@QuarkusTest
@TestProfile(OtlpExportTest.ToCollector.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OtlpCollector.class, restrictToAnnotatedClass = true)
class OtlpExportTest {

    public static class ToCollector implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.bsp.schedule.delay", "20ms",
                    InMemorySpans.LOOKUP, "false");
        }
    }

    static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    static final String TRACEPARENT = "00-" + TRACE_ID + "-b7ad6b7169203331-01";
    static final String QUERY_VALUE = "q7x9secretish";
    static final String TOKEN = "t0ken-never-exported";

    @UpstreamResource.Upstream
    FakeUpstream upstream;

    @OtlpCollector.Collector
    OtlpCollector collector;

    @Inject
    ProxyServer proxy;

    @Test
    void spansReachTheCollectorWithoutQueryOrCredentials() {
        ProxyClient client = new ProxyClient(proxy.port());
        assertThat(client.get("/networking/loadbalancers/77?filter=" + QUERY_VALUE, "traceparent", TRACEPARENT,
                "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);

        byte[] name = utf8("GET /networking/loadbalancers/{id}");
        byte[] traceId = HexFormat.of().parseHex(TRACE_ID);
        // Both spans of the trace, server and client, carry the same name: two occurrences at least.
        FakeUpstream.await(Duration.ofSeconds(20), () -> collector.exports().stream()
                .mapToInt(export -> occurrences(export.body(), name)).sum() >= 2);

        assertThat(collector.exports()).allSatisfy(export -> {
            assertThat(export.path()).isEqualTo("/v1/traces");
            assertThat(export.contentType()).isEqualTo("application/x-protobuf");
            assertThat(occurrences(export.body(), utf8(QUERY_VALUE))).isZero();
            assertThat(occurrences(export.body(), utf8(TOKEN))).isZero();
        });
        // The client span ends first, so the two spans may come in one export or in two.
        assertThat(collector.exports().stream().mapToInt(export -> occurrences(export.body(), traceId)).sum())
                .isEqualTo(2);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int occurrences(byte[] haystack, byte[] needle) {
        int found = 0;
        outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            found++;
        }
        return found;
    }
}
