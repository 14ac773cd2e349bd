package cloud.cegedim.itcareproxy.auth;

import static cloud.cegedim.itcareproxy.auth.TokenCalls.await;
import static cloud.cegedim.itcareproxy.auth.TokenCalls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.config.ProxyConfig;
import cloud.cegedim.itcareproxy.simulator.ItcareSimulator;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** A token endpoint that is down, refuses, resets or hangs: TokenUnavailable, bounded requests, then recovery. */
@QuarkusTest
@TestProfile(ClientCredentialsProfile.class)
class TokenEndpointFailuresTest {

    @Inject
    ProxyConfig config;

    @Inject
    Vertx vertx;

    @Inject
    ItcareSimulator simulator;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private SimulatorControl control;
    private String tokenUrl;

    @BeforeEach
    void freshSimulator() {
        control = new SimulatorControl(simulator.port());
        control.reset();
        tokenUrl = "http://127.0.0.1:" + simulator.port() + "/auth/realms/cloud/protocol/openid-connect/token";
    }

    @AfterEach
    void closeSources() throws Exception {
        for (AutoCloseable source : opened) {
            source.close();
        }
        control.clearFaults();
    }

    private CachingTokenSource coldSource(TokenEvents events) {
        CachingTokenSource source = AuthBeans.clientCredentials(config.auth(), vertx,
                AuthBeans.secret(config.auth(), vertx), events, System::nanoTime, Cooldown.randomDraw());
        opened.add(source);
        return source;
    }

    @Test
    void aDownEndpointFailsEveryCallWithBoundedTokenRequestsThenRecovers() throws Exception {
        control.fault("{\"area\":\"auth\",\"status\":503,\"body\":\"html\",\"durationSeconds\":600}");
        RecordingEvents events = new RecordingEvents();
        CachingTokenSource source = coldSource(events);

        List<Future<String>> calls = await(TokenCalls.bursts(vertx, source, 10, 20, Duration.ofMillis(100)));

        assertThat(calls).hasSize(200).allMatch(Future::failed);
        assertThat(calls).allMatch(call -> call.cause() instanceof TokenUnavailable
                && call.cause().getMessage().startsWith("the token endpoint answered 503"));
        long duringTheOutage = control.tokenRequests();
        assertThat(duringTheOutage).isBetween(3L, 5L);
        assertThat((long) events.failures.get()).isEqualTo(duringTheOutage);

        control.clearFaults();
        String token = await(TokenCalls.firstSuccess(vertx, source::token, Duration.ofMillis(20), Duration.ofSeconds(10)));

        assertThat(control.tokenRequests()).isEqualTo(duringTheOutage + 1);
        assertThat(control.tokensIssued()).isEqualTo(1L);
        assertThat(events.successes.get()).isEqualTo(1);
        assertThat(control.apiStatus(token)).isEqualTo(200);
    }

    @Test
    void whileBackingOffCallsFailFastSayingWhenTheNextRequestWillBe() throws Exception {
        control.fault("{\"area\":\"auth\",\"status\":500,\"body\":\"empty\"}");
        CachingTokenSource source = coldSource(TokenEvents.NONE);
        assertThat(failure(source.token())).hasMessage("the token endpoint answered 500");

        Future<String> early = source.token();

        assertThat(early.failed()).isTrue();
        assertThat(early.cause().getMessage()).matches("the token endpoint answered 500; next token request in \\d+ ms");
        assertThat(control.tokenRequests()).isEqualTo(1L);
    }

    @Test
    void aRefusedSecretGivesTokenUnavailableNamingInvalidClient() throws Exception {
        control.configure("{\"clientSecret\":\"rotated-elsewhere\"}");

        Throwable failure = failure(coldSource(TokenEvents.NONE).token());

        assertThat(failure).isInstanceOf(TokenUnavailable.class)
                .hasMessage("the token endpoint answered 401 (invalid_client)");
        assertThat(control.tokenRequestsRefused()).isEqualTo(1L);
    }

    @Test
    void aResetConnectionGivesTokenUnavailableNamingTheEndpoint() throws Exception {
        control.fault("{\"area\":\"auth\",\"reset\":true}");

        Throwable failure = failure(coldSource(TokenEvents.NONE).token());

        assertThat(failure).isInstanceOf(TokenUnavailable.class);
        assertThat(failure.getMessage()).startsWith("cannot reach the token endpoint " + tokenUrl + ": ");
    }

    @Test
    void anEndpointSlowerThanTheTokenTimeoutGivesTokenUnavailableInTime() throws Exception {
        control.fault("{\"area\":\"auth\",\"latencyMs\":3000}");
        HttpTokenEndpoint endpoint = new HttpTokenEndpoint(vertx, tokenUrl, ClientCredentialsProfile.CLIENT_ID,
                ClientSecret.value(ClientCredentialsProfile.SECRET), Duration.ofMillis(300));
        opened.add(endpoint);
        long start = System.nanoTime();

        Throwable failure = failure(endpoint.fetch());

        assertThat(failure).isInstanceOf(TokenUnavailable.class)
                .hasMessage("no answer from the token endpoint " + tokenUrl + " within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300), Duration.ofMillis(2500));
    }
}
