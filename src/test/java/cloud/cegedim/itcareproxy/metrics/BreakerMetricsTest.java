package cloud.cegedim.itcareproxy.metrics;

import static cloud.cegedim.itcareproxy.metrics.Scrape.assertGrowth;
import static cloud.cegedim.itcareproxy.metrics.Scrape.awaitGrowth;
import static cloud.cegedim.itcareproxy.support.FakeUpstream.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.proxy.ProxyServer;
import cloud.cegedim.itcareproxy.resilience.Resilience;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Breaker state gauges and transition counters through real HTTP: a window of 4, retries off, 1 s open. */
@QuarkusTest
@TestProfile(BreakerMetricsTest.SmallWindow.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class BreakerMetricsTest {

    public static class SmallWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "itcare-proxy.retry.enabled", "false",
                    "itcare-proxy.circuit-breaker.request-volume", "4",
                    "itcare-proxy.circuit-breaker.failure-ratio", "0.5",
                    "itcare-proxy.circuit-breaker.delay", "1s",
                    "itcare-proxy.circuit-breaker.success-threshold", "1");
        }
    }

    static final String TRANSITIONS = "itcare_proxy_circuit_transitions_total";
    static final String STATE = "itcare_proxy_circuit_state";
    static final String ROUTE = "/compute/instances/{id}";

    @UpstreamResource.Upstream
    FakeUpstream upstream;

    @Inject
    ProxyServer proxy;

    @Inject
    Resilience resilience;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsPage;

    ProxyClient client;

    @BeforeEach
    void setUp() {
        upstream.reset();
        resilience.breakers().resetAll();
        client = new ProxyClient(proxy.port());
    }

    @Test
    void anOpenedBreakerShowsOpenCountsOneTransitionAndItsRefusalsAreNotAttempts() {
        Scrape before = Scrape.of(metricsPage);
        upstream.answer(status(503));
        for (int i = 0; i < 4; i++) {
            assertThat(client.get("/compute/instances/" + i).statusCode()).isEqualTo(503);
        }

        assertThat(client.get("/compute/instances/9").statusCode()).isEqualTo(503);

        Scrape after = awaitGrowth(metricsPage, before, 1, "itcare_proxy_errors_total", "error_code", "CIRCUIT_OPEN");
        assertGrowth(before, after, 1, TRANSITIONS, "breaker", "compute", "to", "open");
        assertGrowth(before, after, 1, TRANSITIONS, "breaker", "compute");
        assertThat(after.value(STATE, "breaker", "compute", "state", "open")).isEqualTo(1.0);
        assertThat(after.value(STATE, "breaker", "compute", "state", "closed")).isEqualTo(0.0);
        assertThat(after.value(STATE, "breaker", "compute", "state", "half_open")).isEqualTo(0.0);
        assertGrowth(before, after, 4, "itcare_proxy_upstream_seconds_count", "route", ROUTE);
        assertGrowth(before, after, 1, "itcare_proxy_errors_total", "route", ROUTE, "status", "503", "error_code",
                "CIRCUIT_OPEN", "origin", "proxy");
        assertGrowth(before, after, 5, "itcare_proxy_requests_seconds_count", "route", ROUTE, "status", "503");
        assertThat(upstream.count()).isEqualTo(4);
        // SmallRye's own breaker metrics are off: its recorder would look meters up by name on every attempt.
        assertThat(after.names()).noneMatch(name -> name.startsWith("ft_"));
    }

    @Test
    void aBreakerThatHalfOpensAndClosesCountsBothTransitionsAndShowsClosed() {
        upstream.answer(status(500));
        for (int i = 0; i < 4; i++) {
            client.get("/networking/loadbalancers/" + i);
        }
        Scrape open = awaitGrowth(metricsPage, Scrape.ofText(""), 1, STATE, "breaker", "networking", "state", "open");
        upstream.answer(request -> request.response().end("[]"));

        FakeUpstream.await(Duration.ofSeconds(5), () -> client.get("/networking/loadbalancers").statusCode() == 200);

        Scrape closed = awaitGrowth(metricsPage, open, 1, TRANSITIONS, "breaker", "networking", "to", "closed");
        assertGrowth(open, closed, 1, TRANSITIONS, "breaker", "networking", "to", "half_open");
        assertGrowth(open, closed, 1, TRANSITIONS, "breaker", "networking", "to", "closed");
        assertGrowth(open, closed, 0, TRANSITIONS, "breaker", "networking", "to", "open");
        assertThat(closed.value(STATE, "breaker", "networking", "state", "closed")).isEqualTo(1.0);
        assertThat(closed.value(STATE, "breaker", "networking")).isEqualTo(1.0);
    }
}
