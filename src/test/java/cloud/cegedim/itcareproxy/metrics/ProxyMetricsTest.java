package cloud.cegedim.itcareproxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.metrics.ExchangeObserver.Completed;
import cloud.cegedim.itcareproxy.resilience.BreakerState;
import cloud.cegedim.itcareproxy.resilience.RetryReason;
import cloud.cegedim.itcareproxy.resilience.SkipReason;
import cloud.cegedim.itcareproxy.upstream.Outcome;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/** The recorder against a real Prometheus registry, without HTTP: exported names, labels, caching and the gauges. */
class ProxyMetricsTest {

    private static final String ROUTE = "/compute/instances/{id}";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ProxyMetrics metrics = new ProxyMetrics(registry);

    @Test
    void recordsARequestUnderItsMethodRouteAndStatusWithItsDuration() {
        metrics.completed(success("GET", 200, 7));

        Scrape scrape = scrape();
        assertThat(scrape.value("itcare_proxy_requests_seconds_count", "method", "GET", "route", ROUTE, "status", "200"))
                .isEqualTo(1.0);
        assertThat(scrape.value("itcare_proxy_requests_seconds_sum", "method", "GET", "route", ROUTE, "status", "200"))
                .isEqualTo(0.007);
        assertThat(scrape.value("itcare_proxy_requests_seconds_bucket", "route", ROUTE, "le", "0.005")).isEqualTo(0.0);
        assertThat(scrape.value("itcare_proxy_requests_seconds_bucket", "route", ROUTE, "le", "0.01")).isEqualTo(1.0);
    }

    @Test
    void histogramsHaveTheSloBucketsFrom5msTo30sAndNoQuantiles() {
        metrics.completed(success("GET", 200, 1));
        metrics.attempt(ROUTE, answered(200), TimeUnit.MILLISECONDS.toNanos(1));

        Scrape scrape = scrape();
        for (String histogram : List.of("itcare_proxy_requests_seconds_bucket", "itcare_proxy_upstream_seconds_bucket")) {
            assertThat(scrape.matching(histogram).stream().map(sample -> sample.labels().get("le")))
                    .containsExactly("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0",
                            "30.0", "+Inf");
        }
        assertThat(scrape.text).contains("# TYPE itcare_proxy_requests_seconds histogram")
                .contains("# TYPE itcare_proxy_upstream_seconds histogram")
                .doesNotContain("quantile");
    }

    @Test
    void aSecondRequestOfTheSameLabelsReusesTheSameTimer() {
        metrics.completed(success("GET", 200, 1));
        List<Meter> first = registry.getMeters();

        metrics.completed(success("GET", 200, 1));

        assertThat(registry.getMeters()).hasSameSizeAs(first);
        assertThat(registry.find(Meters.REQUESTS).timers()).singleElement()
                .satisfies(timer -> assertThat(timer.count()).isEqualTo(2));
    }

    @Test
    void aNonStandardMethodIsOtherAndAMissingStatusIsZero() {
        metrics.completed(success("PROPFIND", 207, 1));
        metrics.completed(success("GET", 0, 1));
        metrics.completed(success("GET", 999, 1));

        Scrape scrape = scrape();
        assertThat(scrape.value("itcare_proxy_requests_seconds_count", "method", "other", "status", "207")).isEqualTo(1.0);
        assertThat(scrape.value("itcare_proxy_requests_seconds_count", "method", "GET", "status", "0")).isEqualTo(1.0);
        assertThat(scrape.value("itcare_proxy_requests_seconds_count", "method", "GET", "status", "other")).isEqualTo(1.0);
    }

    @Test
    void anErrorEnvelopeCountsOnceWithItsCodeAndOrigin() {
        metrics.completed(error(404, "INSTANCE_NOT_FOUND", "upstream"));
        metrics.completed(error(503, "CIRCUIT_OPEN", "proxy"));
        metrics.completed(success("GET", 200, 1));

        Scrape scrape = scrape();
        assertThat(scrape.value("itcare_proxy_errors_total", "route", ROUTE, "status", "404", "error_code",
                "INSTANCE_NOT_FOUND", "origin", "upstream")).isEqualTo(1.0);
        assertThat(scrape.value("itcare_proxy_errors_total", "route", ROUTE, "status", "503", "error_code",
                "CIRCUIT_OPEN", "origin", "proxy")).isEqualTo(1.0);
        assertThat(scrape.matching("itcare_proxy_errors_total")).hasSize(2);
    }

    @Test
    void anUpstreamErrorCodeThatCarriesDataIsOther() {
        metrics.completed(error(404, "NO_INSTANCE_500061854", "upstream"));
        metrics.completed(error(400, "bad input: \"name\"", "upstream"));

        assertThat(scrape().matching("itcare_proxy_errors_total").stream().map(sample -> sample.labels().get("error_code")))
                .containsOnly("other");
    }

    @Test
    void attemptsAreLabelledByStatusOrByWhatWentWrong() {
        metrics.attempt(ROUTE, answered(503), 1_000_000);
        metrics.attempt(ROUTE, new Outcome.ConnectFailed(new RuntimeException()), 1_000_000);
        metrics.attempt(ROUTE, new Outcome.Reset(new RuntimeException()), 1_000_000);
        metrics.attempt(ROUTE, new Outcome.TimedOut(Outcome.Deadline.TRY), 1_000_000);
        metrics.attempt(ROUTE, new Outcome.TimedOut(Outcome.Deadline.REQUEST), 1_000_000);

        Scrape scrape = scrape();
        assertThat(scrape.value("itcare_proxy_upstream_seconds_count", "route", ROUTE, "outcome", "503")).isEqualTo(1.0);
        assertThat(scrape.value("itcare_proxy_upstream_seconds_count", "outcome", "connect_error")).isEqualTo(1.0);
        assertThat(scrape.value("itcare_proxy_upstream_seconds_count", "outcome", "reset")).isEqualTo(1.0);
        assertThat(scrape.value("itcare_proxy_upstream_seconds_count", "outcome", "timeout")).isEqualTo(2.0);
    }

    @Test
    void aRejectedAttemptRecordsNothing() {
        metrics.attempt(ROUTE, new Outcome.Rejected(Outcome.Rejection.CIRCUIT_OPEN, "open"), 1_000);

        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void retriesAndSkippedRetriesCarryTheirReason() {
        metrics.retried(ROUTE, RetryReason.status(503));
        metrics.retried(ROUTE, RetryReason.status(503));
        metrics.retried(ROUTE, RetryReason.RESET);
        metrics.retrySkipped(ROUTE, SkipReason.METHOD);
        metrics.retrySkipped(ROUTE, SkipReason.BODY_NOT_REPLAYABLE);

        Scrape scrape = scrape();
        assertThat(scrape.value("itcare_proxy_retries_total", "route", ROUTE, "reason", "status_503")).isEqualTo(2.0);
        assertThat(scrape.value("itcare_proxy_retries_total", "route", ROUTE, "reason", "reset")).isEqualTo(1.0);
        assertThat(scrape.value("itcare_proxy_retries_skipped_total", "route", ROUTE, "reason", "method")).isEqualTo(1.0);
        assertThat(scrape.value("itcare_proxy_retries_skipped_total", "reason", "body_not_replayable")).isEqualTo(1.0);
    }

    @Test
    void aBreakerShowsOneForItsCurrentStateAndCountsItsTransitions() {
        metrics.breakerTransition("compute", BreakerState.CLOSED, BreakerState.OPEN);

        Scrape open = scrape();
        assertThat(open.value("itcare_proxy_circuit_state", "breaker", "compute", "state", "open")).isEqualTo(1.0);
        assertThat(open.value("itcare_proxy_circuit_state", "breaker", "compute", "state", "closed")).isEqualTo(0.0);
        assertThat(open.value("itcare_proxy_circuit_state", "breaker", "compute", "state", "half_open")).isEqualTo(0.0);
        assertThat(open.value("itcare_proxy_circuit_transitions_total", "breaker", "compute", "to", "open")).isEqualTo(1.0);
        assertThat(open.matching("itcare_proxy_circuit_transitions_total")).hasSize(3);

        metrics.breakerTransition("compute", BreakerState.OPEN, BreakerState.HALF_OPEN);
        metrics.breakerTransition("compute", BreakerState.HALF_OPEN, BreakerState.CLOSED);

        Scrape closed = scrape();
        assertThat(closed.value("itcare_proxy_circuit_state", "breaker", "compute", "state", "closed")).isEqualTo(1.0);
        assertThat(closed.value("itcare_proxy_circuit_state", "breaker", "compute")).isEqualTo(1.0);
        assertThat(closed.value("itcare_proxy_circuit_transitions_total", "breaker", "compute")).isEqualTo(3.0);
        assertThat(metrics.breakerState("compute")).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void aCreatedBreakerShowsClosedBeforeAnyTransition() {
        metrics.breakerCreated("databases");
        metrics.breakerCreated("databases");

        Scrape scrape = scrape();
        assertThat(scrape.value("itcare_proxy_circuit_state", "breaker", "databases", "state", "closed")).isEqualTo(1.0);
        assertThat(scrape.value("itcare_proxy_circuit_state", "breaker", "databases")).isEqualTo(1.0);
        assertThat(scrape.value("itcare_proxy_circuit_transitions_total", "breaker", "databases")).isEqualTo(0.0);
    }

    @Test
    void tokenMetricsAppearOnlyWithTheFirstTokenFetchAndCountBothOutcomes() {
        assertThat(scrape().text).doesNotContain("itcare_proxy_token");

        metrics.tokenRefreshed(true);
        metrics.tokenRefreshed(true);

        Scrape scrape = scrape();
        assertThat(scrape.value("itcare_proxy_token_refreshes_total", "outcome", "success")).isEqualTo(2.0);
        assertThat(scrape.value("itcare_proxy_token_refreshes_total", "outcome", "failure")).isEqualTo(0.0);
        metrics.tokenRefreshed(false);
        assertThat(scrape().value("itcare_proxy_token_refreshes_total", "outcome", "failure")).isEqualTo(1.0);
    }

    @Test
    void tokenExpiryIsReadAtEveryScrapeAndALaterSourceReplacesTheFirst() {
        AtomicReference<Double> left = new AtomicReference<>(300.0);
        metrics.tokenExpiry(left::get);
        assertThat(scrape().value("itcare_proxy_token_expiry_seconds")).isEqualTo(300.0);

        left.set(42.5);
        assertThat(scrape().value("itcare_proxy_token_expiry_seconds")).isEqualTo(42.5);

        metrics.tokenExpiry(() -> 7.0);
        assertThat(scrape().value("itcare_proxy_token_expiry_seconds")).isEqualTo(7.0);
        assertThat(scrape().matching("itcare_proxy_token_expiry_seconds")).hasSize(1);
    }

    private Scrape scrape() {
        return Scrape.ofText(registry.scrape());
    }

    private static Completed success(String method, int status, long millis) {
        long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
        return new Completed("r1", method, ROUTE, "compute", status, null, null, 1, nanos, nanos, true);
    }

    private static Completed error(int status, String code, String origin) {
        return new Completed("r2", "GET", ROUTE, "compute", status, code, origin, 1, 1_000, 2_000, true);
    }

    private static Outcome.Answered answered(int status) {
        return new Outcome.Answered(status, null, null);
    }
}
