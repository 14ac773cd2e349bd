package cloud.cegedim.itcareproxy.auth;

import static cloud.cegedim.itcareproxy.auth.TokenCalls.await;
import static cloud.cegedim.itcareproxy.auth.TokenCalls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
import io.vertx.core.Vertx;

/** A rotated secret file is used by the next token request, without a restart. */
@QuarkusTest
@TestProfile(SecretFileProfile.class)
class SecretRotationTest {

    @Inject
    ProxyConfig config;

    @Inject
    Vertx vertx;

    @Inject
    ItcareSimulator simulator;

    private final List<CachingTokenSource> opened = new ArrayList<>();
    private SimulatorControl control;

    @BeforeEach
    void firstSecretEverywhere() throws Exception {
        Files.writeString(SecretFileProfile.FILE, SecretFileProfile.FIRST + "\n");
        control = new SimulatorControl(simulator.port());
        control.reset();
    }

    @AfterEach
    void closeSources() {
        opened.forEach(CachingTokenSource::close);
    }

    private CachingTokenSource coldSource(TokenEvents events) {
        CachingTokenSource source = AuthBeans.clientCredentials(config.auth(), vertx,
                AuthBeans.secret(config.auth(), vertx), events, System::nanoTime, Cooldown.randomDraw());
        opened.add(source);
        return source;
    }

    @Test
    void theNextTokenRequestAfterARotationUsesTheNewSecret() throws Exception {
        CachingTokenSource source = coldSource(TokenEvents.NONE);
        String before = await(source.token());

        Files.writeString(SecretFileProfile.FILE, "file-secret-2\n");
        control.configure("{\"clientSecret\":\"file-secret-2\"}");
        source.rejected(before);
        String after = await(source.token());

        assertThat(after).isNotEqualTo(before);
        assertThat(control.tokenRequests()).isEqualTo(2L);
        assertThat(control.tokensIssued()).isEqualTo(2L);
        assertThat(control.tokenRequestsRefused()).isZero();
        assertThat(control.apiStatus(after)).isEqualTo(200);
    }

    @Test
    void anEndpointRotatedBeforeTheFileRefusesUntilTheFileFollowsThenTheSourceRecovers() throws Exception {
        RecordingEvents events = new RecordingEvents();
        CachingTokenSource source = coldSource(events);
        control.configure("{\"clientSecret\":\"file-secret-3\"}");

        assertThat(failure(source.token())).hasMessage("the token endpoint answered 401 (invalid_client)");
        Files.writeString(SecretFileProfile.FILE, "file-secret-3");
        String token = await(TokenCalls.firstSuccess(vertx, source::token, Duration.ofMillis(20), Duration.ofSeconds(10)));

        assertThat(control.apiStatus(token)).isEqualTo(200);
        assertThat(control.tokensIssued()).isEqualTo(1L);
        assertThat(control.tokenRequestsRefused()).isEqualTo(events.failures.get());
        assertThat(events.successes.get()).isEqualTo(1);
    }
}
