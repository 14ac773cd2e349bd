package cloud.cegedim.itcareproxy.auth;

import static cloud.cegedim.itcareproxy.auth.TokenCalls.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.config.ProxyConfig;
import cloud.cegedim.itcareproxy.simulator.ItcareSimulator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The client-credentials source against the simulator's token endpoint over real HTTP. */
@QuarkusTest
@TestProfile(ClientCredentialsProfile.class)
class TokenSourceOverHttpTest {

    @Inject
    ProxyConfig config;

    @Inject
    Vertx vertx;

    @Inject
    ItcareSimulator simulator;

    @Inject
    TokenSource produced;

    private final List<CachingTokenSource> opened = new ArrayList<>();
    private SimulatorControl control;

    @BeforeEach
    void freshSimulator() {
        control = new SimulatorControl(simulator.port());
        control.reset();
    }

    @AfterEach
    void closeSources() {
        opened.forEach(CachingTokenSource::close);
        control.clearFaults();
    }

    /** A cold source with the profile's settings, as the producer builds it. */
    private CachingTokenSource coldSource(TokenEvents events) {
        CachingTokenSource source = AuthBeans.clientCredentials(config.auth(), vertx,
                AuthBeans.secret(config.auth(), vertx), events, System::nanoTime, Cooldown.randomDraw());
        opened.add(source);
        return source;
    }

    /** Whatever the singleton holds from earlier tests is revoked first, so the test does not depend on their order. */
    @Test
    void theProducedSourceIsEnabledAndAfterARejectionItsTokenOpensTheItcareApi() throws Exception {
        String held = await(produced.token());
        control.configure("{\"revokeTokens\":true}");
        assertThat(control.apiStatus(held)).isEqualTo(401);

        produced.rejected(held);
        String token = await(produced.token());

        assertThat(produced.enabled()).isTrue();
        assertThat(control.apiStatus(token)).isEqualTo(200);
        assertThat(control.apiStatus(null)).isEqualTo(401);
        assertThat(control.apiStatus("not-a-token-it-issued")).isEqualTo(401);
    }

    @Test
    void aHundredConcurrentCallsOnAColdCacheMakeExactlyOneTokenRequest() throws Exception {
        control.fault("{\"area\":\"auth\",\"latencyMs\":500}");
        CachingTokenSource source = coldSource(TokenEvents.NONE);
        List<CompletableFuture<String>> tokens = new ArrayList<>();
        List<CompletableFuture<Boolean>> waited = new ArrayList<>();
        List<CompletableFuture<Boolean>> onItsOwnContext = new ArrayList<>();

        for (int i = 0; i < 100; i++) {
            Context context = vertx.getOrCreateContext();
            CompletableFuture<String> token = new CompletableFuture<>();
            CompletableFuture<Boolean> sameContext = new CompletableFuture<>();
            CompletableFuture<Boolean> pending = new CompletableFuture<>();
            context.runOnContext(start -> {
                Future<String> call = source.token();
                pending.complete(!call.isComplete());
                call.onComplete(result -> {
                    sameContext.complete(Vertx.currentContext() == context);
                    token.complete(result.succeeded() ? result.result() : "failed: " + result.cause());
                });
            });
            tokens.add(token);
            waited.add(pending);
            onItsOwnContext.add(sameContext);
        }

        await(CompletableFuture.allOf(tokens.toArray(CompletableFuture[]::new)));
        assertThat(control.tokenRequests()).isEqualTo(1L);
        assertThat(tokens.stream().map(CompletableFuture::join).distinct()).hasSize(1).first().asString()
                .matches("[A-Za-z0-9_-]{43}");
        assertThat(waited).allMatch(CompletableFuture::join);
        assertThat(onItsOwnContext).allMatch(CompletableFuture::join);
    }

    @Test
    void aTwoSecondTokenIsRefreshedAheadSoThatOverFiveSecondsNoCallFailsOrWaits() throws Exception {
        control.configure("{\"tokenLifetimeSeconds\":2}");
        RecordingEvents events = new RecordingEvents();
        CachingTokenSource source = coldSource(events);
        await(source.token());

        List<TokenCalls.Observed> calls = await(TokenCalls.steadyCalls(vertx, source, source::secondsLeft,
                Duration.ofMillis(10), Duration.ofSeconds(5)));

        assertThat(calls).hasSizeGreaterThan(250);
        assertThat(calls).allMatch(TokenCalls.Observed::completedAtOnce);
        assertThat(calls).allMatch(call -> call.failure() == null && call.token() != null);
        assertThat(calls).allMatch(call -> call.secondsLeft() > 0.25);
        long distinct = calls.stream().map(TokenCalls.Observed::token).distinct().count();
        assertThat(distinct).isGreaterThanOrEqualTo(4L);
        assertThat(events.failures.get()).isZero();
        // The last refresh may still be on its way back when the calls stop.
        assertThat(control.tokensIssued()).isBetween(distinct, distinct + 1);
        assertThat(control.tokenRequestsRefused()).isZero();
    }

    @Test
    void aRejectedTokenIsReplacedAndALateRejectionOfItKeepsTheNewOne() throws Exception {
        CachingTokenSource source = coldSource(TokenEvents.NONE);
        String first = await(source.token());

        source.rejected(first);
        String second = await(source.token());
        source.rejected(first);
        String third = await(source.token());

        assertThat(second).isNotEqualTo(first);
        assertThat(third).isEqualTo(second);
        assertThat(control.tokenRequests()).isEqualTo(2L);
        assertThat(control.apiStatus(third)).isEqualTo(200);
    }

    @Test
    void aTokenTheSimulatorRevokedIsReplacedAfterItsRejection() throws Exception {
        CachingTokenSource source = coldSource(TokenEvents.NONE);
        String revoked = await(source.token());
        control.configure("{\"revokeTokens\":true}");
        assertThat(control.apiStatus(revoked)).isEqualTo(401);

        source.rejected(revoked);

        assertThat(control.apiStatus(await(source.token()))).isEqualTo(200);
    }
}
