package cloud.cegedim.itcareproxy.proxy;

import static cloud.cegedim.itcareproxy.support.Envelopes.assertProxyError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.resilience.Resilience;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.FaultyUpstream;
import cloud.cegedim.itcareproxy.support.FaultyUpstreamResource;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The upstream goes away under load and comes back on the same port: meanwhile every answer is a 502
 * UPSTREAM_UNREACHABLE or a 503 CIRCUIT_OPEN envelope, and once it is back the proxy returns to full success within
 * the breaker's delay, without a restart.
 */
@QuarkusTest
@TestProfile(UpstreamRecoveryTest.QuickBreaker.class)
@QuarkusTestResource(value = FaultyUpstreamResource.class, restrictToAnnotatedClass = true)
class UpstreamRecoveryTest {

    /** A breaker that opens after 10 calls and half-opens after 2 s, so that the whole outage fits in seconds. */
    public static class QuickBreaker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "itcare-proxy.circuit-breaker.request-volume", "10",
                    "itcare-proxy.circuit-breaker.delay", "2s",
                    "itcare-proxy.retry.backoff.initial", "10ms",
                    "itcare-proxy.retry.backoff.max", "50ms",
                    "itcare-proxy.access-log.enabled", "false");
        }
    }

    private static final Duration BREAKER_DELAY = Duration.ofSeconds(2);
    /** Room for a loaded 2-core machine on top of the breaker's delay: the half-open probes and the timers' lateness. */
    private static final Duration SLACK = Duration.ofSeconds(5);
    private static final Duration PHASE = Duration.ofSeconds(30);
    private static final int CLIENTS = 8;

    @FaultyUpstreamResource.Faulty
    FaultyUpstream upstream;

    @Inject
    ProxyServer proxy;

    @Inject
    Resilience resilience;

    /** One answer, or the client-side failure (status 0), with when its request started and ended. */
    record Seen(long startNanos, long endNanos, String id, HttpResponse<String> response, Throwable failure) {
        int status() {
            return response == null ? 0 : response.statusCode();
        }
    }

    @Test
    void answersEnvelopesWhileTheUpstreamIsDownAndRecoversWithinTheBreakerDelay() throws InterruptedException {
        upstream.reset();
        resilience.breakers().resetAll();
        ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger next = new AtomicInteger();
        for (int c = 0; c < CLIENTS; c++) {
            clients.execute(() -> drive(new ProxyClient(proxy.port()), next, running, seen));
        }
        try {
            FakeUpstream.await(PHASE, () -> count(seen, 0, 200) >= 100);

            long down = System.nanoTime();
            upstream.stop();
            FakeUpstream.await(PHASE, () -> count(seen, down, 503) >= 10);

            upstream.restart();
            long back = System.nanoTime();
            FakeUpstream.await(PHASE, () -> successStreakStart(seen, back, 200) > 0);
            Duration recovery = Duration.ofNanos(successStreakStart(seen, back, 200) - back);

            assertThat(recovery).as("from the upstream's return to the first of 200 successes in a row")
                    .isLessThan(BREAKER_DELAY.plus(SLACK));
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(PHASE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertEveryAnswer(seen, down);
        } finally {
            running.set(false);
            clients.shutdownNow();
        }
    }

    private static void drive(ProxyClient client, AtomicInteger next, AtomicBoolean running,
            ConcurrentLinkedQueue<Seen> seen) {
        while (running.get()) {
            String id = "recovery-" + next.incrementAndGet();
            long started = System.nanoTime();
            try {
                HttpResponse<String> response = client.send(client.request("/compute/instances/" + id)
                        .header(FaultyUpstream.TEST_ID, id).timeout(Duration.ofSeconds(30)).GET().build());
                seen.add(new Seen(started, System.nanoTime(), id, response, null));
            } catch (IllegalStateException e) {
                seen.add(new Seen(started, System.nanoTime(), id, null, e.getCause()));
            }
        }
    }

    private static long count(ConcurrentLinkedQueue<Seen> seen, long after, int status) {
        return seen.stream().filter(s -> s.startNanos() > after && s.status() == status).count();
    }

    /**
     * When the first run of {@code streak} consecutive successes (in order of start) among requests started after
     * {@code after} began, or 0 if there is none yet.
     */
    private static long successStreakStart(ConcurrentLinkedQueue<Seen> seen, long after, int streak) {
        List<Seen> since = new ArrayList<>(seen.stream().filter(s -> s.startNanos() > after).toList());
        since.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        int run = 0;
        for (int i = 0; i < since.size(); i++) {
            run = since.get(i).status() == 200 ? run + 1 : 0;
            if (run == streak) {
                return since.get(i - streak + 1).startNanos();
            }
        }
        return 0;
    }

    /**
     * Every answer is the upstream's whole body or one of the two envelopes of an outage; a broken answer is allowed
     * only to a request that was in flight when the upstream went down (its connection was reset under it).
     */
    private static void assertEveryAnswer(ConcurrentLinkedQueue<Seen> seen, long down) {
        for (Seen s : seen) {
            switch (s.status()) {
                case 200 -> assertThat(s.response().body()).as(s.id())
                        .isEqualTo(new String(FaultyUpstream.body(s.id()), StandardCharsets.ISO_8859_1));
                case 502 -> assertProxyError(s.response(), 502, "BAD_GATEWAY", ErrorCode.UPSTREAM_UNREACHABLE);
                case 503 -> {
                    assertProxyError(s.response(), 503, "SERVICE_UNAVAILABLE", ErrorCode.CIRCUIT_OPEN);
                    assertThat(s.response().headers().firstValue("Retry-After")).as(s.id())
                            .hasValueSatisfying(seconds -> assertThat(seconds).matches("[1-9][0-9]*"));
                }
                default -> assertThat(s.startNanos() < down && s.endNanos() > down)
                        .as("%s ended with %d (%s), and was not in flight when the upstream went down", s.id(),
                                s.status(), s.failure())
                        .isTrue();
            }
        }
    }
}
