package cloud.cegedim.itcareproxy.proxy;

import static cloud.cegedim.itcareproxy.support.Envelopes.assertProxyError;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.support.FaultyUpstream;
import cloud.cegedim.itcareproxy.support.FaultyUpstream.Fault;
import cloud.cegedim.itcareproxy.support.FaultyUpstreamResource;
import cloud.cegedim.itcareproxy.support.LoadClient;
import cloud.cegedim.itcareproxy.support.LoadClient.Call;
import cloud.cegedim.itcareproxy.support.LoadClient.Result;
import cloud.cegedim.itcareproxy.support.ResourceBaseline;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * 20,000 requests on 1,000 concurrent keep-alive connections, every one accounted for: against a healthy upstream all
 * are answered whole; against one that resets a tenth of its answers in the middle of the body, each client gets the
 * whole answer or a visibly broken one (a cut connection or a 502 envelope), and no POST reaches the upstream twice.
 * After each run, descriptors, upstream connections and heap return to where they were.
 */
@QuarkusTest
@TestProfile(LoadTest.LoadProfile.class)
@QuarkusTestResource(value = FaultyUpstreamResource.class, restrictToAnnotatedClass = true)
class LoadTest {

    /**
     * The 1,000 concurrent requests share the proxy's 200 upstream connections, so a request may wait for a pooled one;
     * the wait is bounded by the connect timeout, raised from 2 s to 10 s here so that a slow moment of this loaded
     * 2-core machine is not counted as an unreachable upstream. Breakers are off: the reset test's failures are what
     * it measures, and a breaker opened by them would refuse healthy requests too (breakers have their own tests).
     * Pooled upstream connections are closed after 1 s unused, so that after a run every one of them must be gone.
     */
    public static class LoadProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "itcare-proxy.upstream.connect-timeout", "10s",
                    "itcare-proxy.upstream.keep-alive-timeout", "1s",
                    "itcare-proxy.circuit-breaker.enabled", "false",
                    "itcare-proxy.access-log.enabled", "false");
        }
    }

    private static final int CONNECTIONS = 1000;
    private static final int REQUESTS = 20_000;
    private static final Duration ALL_ANSWERED = Duration.ofSeconds(150);
    private static final Duration RESTORED = Duration.ofSeconds(30);

    @FaultyUpstreamResource.Faulty
    FaultyUpstream upstream;

    @Inject
    ProxyServer proxy;

    private ResourceBaseline baseline;

    @BeforeEach
    void baseline() {
        upstream.reset();
        baseline = ResourceBaseline.take(upstream::openConnections);
    }

    @AfterEach
    void resourcesReturnToTheBaseline() {
        baseline.assertRestored(RESTORED);
        assertThat(proxy.inFlight()).isZero();
    }

    @Test
    void answersEveryOneOf20000RequestsOn1000KeepAliveConnections() {
        List<Result> results;
        int opened;
        try (LoadClient load = new LoadClient(proxy.port(), CONNECTIONS)) {
            results = load.run(calls("healthy"), ALL_ANSWERED);
            opened = load.connectionsOpened();
        }

        assertThat(opened).isEqualTo(CONNECTIONS);
        assertThat(results).hasSize(REQUESTS);
        for (Result result : results) {
            assertWhole(result);
            assertThat(upstream.received(result.call().id())).as(result.call().id()).isEqualTo(1);
        }
        assertThat(upstream.requests()).isEqualTo(REQUESTS);
    }

    @Test
    void aTenthResetMidBodyGivesWholeAnswersOrVisibleFailuresAndNoSecondPost() {
        upstream.faults(request -> cut(request.id()) ? Fault.RESET_MID_BODY : Fault.NONE);
        List<Result> results;
        try (LoadClient load = new LoadClient(proxy.port(), CONNECTIONS)) {
            results = load.run(calls("resets"), ALL_ANSWERED);
        }

        assertThat(results).hasSize(REQUESTS);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (Result result : results) {
            String id = result.call().id();
            boolean post = result.call().method() == HttpMethod.POST;
            if (!cut(id)) {
                assertWhole(result);
                outcomes.merge("whole", 1, Integer::sum);
            } else if (result.failed()) {
                outcomes.merge("cut", 1, Integer::sum);
            } else {
                assertProxyError(result, 502, "BAD_GATEWAY", ErrorCode.UPSTREAM_UNREACHABLE);
                outcomes.merge("502", 1, Integer::sum);
            }
            int reached = upstream.received(id);
            if (post || !cut(id)) {
                assertThat(reached).as("times %s reached the upstream", id).isEqualTo(1);
            } else {
                assertThat(reached).as("times %s reached the upstream", id).isBetween(1, 3);
            }
        }
        assertThat(outcomes.get("whole")).as("outcomes %s", outcomes).isEqualTo(REQUESTS - REQUESTS / 10);
        assertThat(outcomes.getOrDefault("cut", 0) + outcomes.getOrDefault("502", 0)).as("outcomes %s", outcomes)
                .isEqualTo(REQUESTS / 10);
    }

    /** Every tenth request is cut by the upstream; the choice depends on the id only, so retries are cut too. */
    private static boolean cut(String id) {
        return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) % 10 == 7;
    }

    /** One request in five is a POST with a body; the others are GETs. */
    private static List<Call> calls(String run) {
        List<Call> calls = new ArrayList<>(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            String id = run + "-" + i;
            calls.add(i % 5 == 0
                    ? new Call(id, HttpMethod.POST, "/compute/instances", Buffer.buffer("{\"name\":\"vm" + i + "\"}"))
                    : new Call(id, HttpMethod.GET, "/compute/instances/" + i, null));
        }
        return calls;
    }

    private static void assertWhole(Result result) {
        assertThat(result.failure()).as("failure of %s", result.call().id()).isNull();
        assertThat(result.status()).as("status of %s", result.call().id()).isEqualTo(200);
        assertThat(result.body().getBytes()).as("body of %s", result.call().id())
                .isEqualTo(FaultyUpstream.body(result.call().id()));
    }
}
