package cloud.cegedim.itcareproxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.proxy.ProxyServer;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A few hundred distinct ids, UUIDs, data-like and random word segments, with ids in query strings and in upstream
 * error codes: the {@code route} label stays within {@code metrics.max-routes} (+ {@code other}) and no label of any
 * {@code itcare_proxy_*} series holds a digit run of an id that was sent. The number of series it leaves is logged
 * (category {@code cloud.cegedim.itcareproxy.metrics.CardinalityTest}) for the README.
 */
@QuarkusTest
@TestProfile(CardinalityTest.FiftyRoutes.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class CardinalityTest {

    public static class FiftyRoutes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("itcare-proxy.metrics.max-routes", "50");
        }
    }

    static final int MAX_ROUTES = 50;
    private static final Logger LOG = Logger.getLogger(CardinalityTest.class);
    private static final Pattern ID_LIKE = Pattern.compile("[0-9]{6,}");

    @UpstreamResource.Upstream
    FakeUpstream upstream;

    @Inject
    ProxyServer proxy;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metricsPage;

    private final Random random = new Random(20240604);
    private final Set<String> sentIds = new HashSet<>();

    @Test
    void routeLabelsStayWithinTheBoundAndNoLabelHoldsAnId() {
        upstream.answer(request -> {
            if (request.path().contains("/missing/")) {
                String id = request.path().substring(request.path().lastIndexOf('/') + 1);
                request.response().setStatusCode(404).end("{\"status\":\"NOT_FOUND\",\"errorCode\":\"NO_INSTANCE_"
                        + id + "\",\"errorDesc\":\"" + id + "\",\"errorMessage\":\"Non-existent resource\"}");
            } else {
                request.response().end("{}");
            }
        });
        ProxyClient client = new ProxyClient(proxy.port());
        List<String> targets = targets();

        for (String target : targets) {
            assertThat(client.get(target).statusCode()).as(target).isIn(200, 404);
        }

        Scrape scrape = Scrape.awaitGrowth(metricsPage, Scrape.ofText(""), targets.size(),
                "itcare_proxy_requests_seconds_count");
        List<Scrape.Sample> ours = scrape.samples.stream().filter(s -> s.name().startsWith("itcare_proxy_")).toList();
        Set<String> routes = ours.stream().map(s -> s.labels().get("route")).filter(r -> r != null)
                .collect(Collectors.toSet());
        assertThat(routes).contains(RouteTemplates.OTHER).hasSizeLessThanOrEqualTo(MAX_ROUTES + 1);
        assertThat(routes).filteredOn(route -> !route.equals(RouteTemplates.OTHER)).hasSize(MAX_ROUTES);
        Set<String> labelValues = ours.stream().flatMap(s -> s.labels().values().stream()).collect(Collectors.toSet());
        assertThat(labelValues).noneMatch(value -> ID_LIKE.matcher(value).find());
        assertThat(sentIds).hasSizeGreaterThan(300)
                .allSatisfy(id -> assertThat(labelValues).noneMatch(value -> value.contains(id)));
        assertThat(scrape.value("itcare_proxy_errors_total", "error_code", RouteTemplates.OTHER)).isEqualTo(40.0);
        // Per route at most: two requests histograms (GET 200, GET 404) and two upstream ones (outcome 200, 404) of 16
        // series each (13 buckets, count, sum, max), and one errors counter.
        assertThat(ours).hasSizeLessThanOrEqualTo((MAX_ROUTES + 1) * (4 * 16 + 1));
        LOG.infof("itcare_proxy_* series exported after %d requests: %d (%d route labels, %d distinct ids sent)",
                targets.size(), ours.size(), routes.size(), sentIds.size());
    }

    /** 330 targets, each shape with fresh ids. */
    private List<String> targets() {
        List<String> targets = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            targets.add("/compute/instances/" + id() + (i % 2 == 0 ? "" : "/networks") + "?owner=" + id());
        }
        for (int i = 0; i < 60; i++) {
            targets.add("/databases/" + UUID.randomUUID() + "/backups/" + id());
        }
        for (int i = 0; i < 60; i++) {
            targets.add("/" + word() + "/" + word() + "/" + id());
        }
        for (int i = 0; i < 70; i++) {
            targets.add("/storage/" + word() + "-" + id() + "/" + id() + word() + "?page=" + id());
        }
        for (int i = 0; i < 40; i++) {
            targets.add("/compute/missing/" + id());
        }
        return targets;
    }

    /** A fresh id of 6 to 12 digits, remembered. */
    private String id() {
        String id;
        do {
            id = Long.toString(100_000L + (long) (random.nextDouble() * 999_999_900_000L));
        } while (!sentIds.add(id));
        return id;
    }

    private String word() {
        StringBuilder word = new StringBuilder();
        int length = 3 + random.nextInt(8);
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }
}
