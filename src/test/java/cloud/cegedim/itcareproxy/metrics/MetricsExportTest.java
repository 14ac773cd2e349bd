package cloud.cegedim.itcareproxy.metrics;

import static cloud.cegedim.itcareproxy.metrics.Scrape.assertGrowth;
import static cloud.cegedim.itcareproxy.metrics.Scrape.awaitGrowth;
import static cloud.cegedim.itcareproxy.support.FakeUpstream.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.http.HttpRequest;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.proxy.ProxyServer;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import cloud.cegedim.itcareproxy.support.RawHttp;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The contract's metrics through real HTTP, read back from {@code :9000/q/metrics} with their exported names: exact
 * growth per scripted exchange, taken as the difference of two scrapes. Breakers are off here; back-off is short.
 */
@QuarkusTest
@TestProfile(MetricsExportTest.FastRetries.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class MetricsExportTest {

    public static class FastRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "itcare-proxy.retry.backoff.initial", "5ms",
                    "itcare-proxy.retry.backoff.max", "20ms",
                    "itcare-proxy.circuit-breaker.enabled", "false");
        }
    }

    static final String INSTANCE = "/compute/instances/{id}";
    static final String INSTANCES = "/compute/instances";

    @UpstreamResource.Upstream
    FakeUpstream upstream;

    @Inject
    ProxyServer proxy;

    @Inject
    ProxyMetrics metrics;

    // The management root path (/q) is prefixed by Quarkus.
    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsPage;

    ProxyClient client;

    @BeforeEach
    void setUp() {
        upstream.reset();
        client = new ProxyClient(proxy.port());
    }

    @Test
    void aGetRetriedTwiceOn503CountsOneRequestThreeAttemptsAndTwoRetries() {
        Scrape before = Scrape.of(metricsPage);
        upstream.script(status(503), status(503), request -> request.response().end("{\"id\":500061854}"));

        assertThat(client.get("/compute/instances/500061854").statusCode()).isEqualTo(200);

        Scrape after = awaitGrowth(metricsPage, before, 1, "itcare_proxy_requests_seconds_count", "route", INSTANCE);
        assertGrowth(before, after, 1, "itcare_proxy_requests_seconds_count", "method", "GET", "route", INSTANCE,
                "status", "200");
        assertGrowth(before, after, 1, "itcare_proxy_requests_seconds_count", "route", INSTANCE);
        assertGrowth(before, after, 2, "itcare_proxy_upstream_seconds_count", "route", INSTANCE, "outcome", "503");
        assertGrowth(before, after, 1, "itcare_proxy_upstream_seconds_count", "route", INSTANCE, "outcome", "200");
        assertGrowth(before, after, 2, "itcare_proxy_retries_total", "route", INSTANCE, "reason", "status_503");
        assertGrowth(before, after, 0, "itcare_proxy_retries_skipped_total", "route", INSTANCE);
        assertGrowth(before, after, 0, "itcare_proxy_errors_total", "route", INSTANCE);
    }

    @Test
    void anUpstreamEnvelopeCountsOneErrorWithItsCodeAndOrigin() {
        Scrape before = Scrape.of(metricsPage);
        upstream.answer(request -> request.response().setStatusCode(404).putHeader("Content-Type", "application/json")
                .end("{\"status\":\"NOT_FOUND\",\"errorCode\":\"INSTANCE_NOT_FOUND\",\"errorDesc\":\"\","
                        + "\"errorMessage\":\"Non-existent resource\"}"));

        assertThat(client.get("/compute/instances/77777777").statusCode()).isEqualTo(404);

        Scrape after = awaitGrowth(metricsPage, before, 1, "itcare_proxy_errors_total", "route", INSTANCE);
        assertGrowth(before, after, 1, "itcare_proxy_errors_total", "route", INSTANCE, "status", "404", "error_code",
                "INSTANCE_NOT_FOUND", "origin", "upstream");
        assertGrowth(before, after, 1, "itcare_proxy_errors_total", "route", INSTANCE);
        assertGrowth(before, after, 1, "itcare_proxy_requests_seconds_count", "route", INSTANCE, "status", "404");
        assertGrowth(before, after, 1, "itcare_proxy_upstream_seconds_count", "route", INSTANCE, "outcome", "404");
    }

    @Test
    void aRequestRefusedByTheGateCountsAProxyErrorAndNoAttempt() throws IOException {
        String route = "/compute/{param}/secrets";
        Scrape before = Scrape.of(metricsPage);

        RawHttp.Answer answer = RawHttp.send(proxy.port(), "GET /compute/%2e%2e/secrets HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(answer.status()).isEqualTo(400);
        Scrape after = awaitGrowth(metricsPage, before, 1, "itcare_proxy_errors_total", "route", route);
        assertGrowth(before, after, 1, "itcare_proxy_errors_total", "route", route, "status", "400", "error_code",
                "MALFORMED_REQUEST", "origin", "proxy");
        assertGrowth(before, after, 1, "itcare_proxy_requests_seconds_count", "method", "GET", "route", route,
                "status", "400");
        assertGrowth(before, after, 0, "itcare_proxy_upstream_seconds_count", "route", route);
        assertThat(upstream.count()).isZero();
    }

    @Test
    void aPostAnswered503SkipsItsRetryForTheMethod() {
        Scrape before = Scrape.of(metricsPage);
        upstream.answer(status(503));

        assertThat(client.send(client.request(INSTANCES).POST(HttpRequest.BodyPublishers.ofString("{}")).build())
                .statusCode()).isEqualTo(503);

        // The error counter is the last meter an exchange records (after its request timer): a scrape that sees it
        // has seen the others, where one awaiting the timer can land between the two.
        Scrape after = awaitGrowth(metricsPage, before, 1, "itcare_proxy_errors_total", "route", INSTANCES);
        assertGrowth(before, after, 1, "itcare_proxy_requests_seconds_count", "route", INSTANCES);
        assertGrowth(before, after, 1, "itcare_proxy_retries_skipped_total", "route", INSTANCES, "reason", "method");
        assertGrowth(before, after, 1, "itcare_proxy_retries_skipped_total", "route", INSTANCES);
        assertGrowth(before, after, 0, "itcare_proxy_retries_total", "route", INSTANCES);
        assertGrowth(before, after, 1, "itcare_proxy_upstream_seconds_count", "route", INSTANCES, "outcome", "503");
        assertGrowth(before, after, 1, "itcare_proxy_errors_total", "route", INSTANCES, "status", "503", "error_code",
                "SERVICE_UNAVAILABLE", "origin", "upstream");
    }

    @Test
    void resetsOnEveryAttemptAreCountedAsResetsUntilTheAttemptsRunOut() {
        String route = "/storage/volumes";
        Scrape before = Scrape.of(metricsPage);
        upstream.answer(request -> request.connection().close());

        assertThat(client.get(route).statusCode()).isEqualTo(502);

        Scrape after = awaitGrowth(metricsPage, before, 1, "itcare_proxy_errors_total", "route", route);
        assertGrowth(before, after, 3, "itcare_proxy_upstream_seconds_count", "route", route, "outcome", "reset");
        assertGrowth(before, after, 2, "itcare_proxy_retries_total", "route", route, "reason", "reset");
        assertGrowth(before, after, 1, "itcare_proxy_retries_skipped_total", "route", route, "reason", "max_attempts");
        assertGrowth(before, after, 1, "itcare_proxy_errors_total", "route", route, "status", "502", "error_code",
                "UPSTREAM_UNREACHABLE", "origin", "proxy");
    }

    @Test
    void everyContractNameIsExportedWithTheSloBucketsAndNoQuantile() {
        upstream.script(status(503), request -> request.response().end("{}"));
        client.get("/compute/instances/1");
        upstream.answer(status(503));
        client.send(client.request(INSTANCES).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        metrics.tokenRefreshed(true);
        metrics.tokenExpiry(() -> 120.0);

        Scrape scrape = awaitGrowth(metricsPage, Scrape.ofText(""), 1, "itcare_proxy_errors_total");

        // Breakers are off in this profile: their two families are covered by BreakerMetricsTest.
        assertThat(scrape.samples.stream().map(Scrape.Sample::name).filter(name -> name.startsWith("itcare_proxy_"))
                .distinct()).containsExactlyInAnyOrder(
                        "itcare_proxy_requests_seconds_bucket", "itcare_proxy_requests_seconds_count",
                        "itcare_proxy_requests_seconds_sum", "itcare_proxy_requests_seconds_max",
                        "itcare_proxy_upstream_seconds_bucket", "itcare_proxy_upstream_seconds_count",
                        "itcare_proxy_upstream_seconds_sum", "itcare_proxy_upstream_seconds_max",
                        "itcare_proxy_errors_total", "itcare_proxy_retries_total", "itcare_proxy_retries_skipped_total",
                        "itcare_proxy_token_refreshes_total", "itcare_proxy_token_expiry_seconds");
        assertThat(scrape.text).contains("# TYPE itcare_proxy_requests_seconds histogram",
                "# TYPE itcare_proxy_upstream_seconds histogram", "# TYPE itcare_proxy_token_expiry_seconds gauge");
        assertThat(scrape.matching("itcare_proxy_requests_seconds_bucket", "route", INSTANCE, "status", "200")
                .stream().map(sample -> sample.labels().get("le")))
                .containsExactly("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0",
                        "30.0", "+Inf");
        assertThat(scrape.value("itcare_proxy_token_expiry_seconds")).isEqualTo(120.0);
        assertThat(scrape.samples).filteredOn(sample -> sample.name().startsWith("itcare_proxy_"))
                .allSatisfy(sample -> assertThat(sample.labels()).doesNotContainKey("quantile"));
    }

    @Test
    void noRawIdReachesTheMetricsPageQuarkusOwnHttpMetricsIncluded() {
        Scrape before = Scrape.of(metricsPage);

        assertThat(client.get("/compute/instances/123456789?page=987654321").statusCode()).isEqualTo(200);

        Scrape after = awaitGrowth(metricsPage, before, 1, "itcare_proxy_requests_seconds_count", "route", INSTANCE);
        assertThat(after.text).doesNotContain("123456789").doesNotContain("987654321");
        assertThat(after.text).doesNotContain("http_server_requests_seconds");
    }
}
