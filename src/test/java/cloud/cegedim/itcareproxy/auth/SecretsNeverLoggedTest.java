package cloud.cegedim.itcareproxy.auth;

import static cloud.cegedim.itcareproxy.auth.TokenCalls.await;
import static cloud.cegedim.itcareproxy.auth.TokenCalls.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.config.ProxyConfig;
import cloud.cegedim.itcareproxy.simulator.ItcareSimulator;
import cloud.cegedim.itcareproxy.support.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Every log record of the JVM, at every level the profile lets through (DEBUG for everything), captured while the
 * source obtains, refreshes, loses and fails to get tokens: none holds the secret, its Basic form or a token.
 */
@QuarkusTest
@TestProfile(ClientCredentialsProfile.class)
class SecretsNeverLoggedTest {

    @Inject
    ProxyConfig config;

    @Inject
    Vertx vertx;

    @Inject
    ItcareSimulator simulator;

    @Inject
    TokenSource produced;

    private LogCapture capture;
    private final List<CachingTokenSource> opened = new ArrayList<>();
    private SimulatorControl control;

    /** Every captured record as "LEVEL category message", with its stack trace if any. */
    private List<String> lines() {
        return capture.records().stream()
                .map(record -> record.getLevel() + " " + record.getLoggerName() + " " + text(record)).toList();
    }

    private static String text(LogRecord record) {
        String message = LogCapture.message(record);
        if (record.getThrown() == null) {
            return message;
        }
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        return message + "\n" + trace;
    }

    @BeforeEach
    void captureEveryLevel() {
        control = new SimulatorControl(simulator.port());
        control.reset();
        capture = LogCapture.of("");
    }

    @AfterEach
    void stopCapturing() {
        capture.close();
        opened.forEach(CachingTokenSource::close);
        control.clearFaults();
    }

    private CachingTokenSource coldSource() {
        CachingTokenSource source = AuthBeans.clientCredentials(config.auth(), vertx,
                AuthBeans.secret(config.auth(), vertx), TokenEvents.NONE, System::nanoTime, Cooldown.randomDraw());
        opened.add(source);
        return source;
    }

    @Test
    void noLogLineAtAnyLevelHoldsTheSecretOrAToken() throws Exception {
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        CachingTokenSource source = coldSource();
        String first = await(source.token());
        tokens.add(first);
        tokens.add(await(produced.token()));
        source.rejected(first);
        tokens.add(await(source.token()));
        control.configure("{\"tokenLifetimeSeconds\":2}");
        CachingTokenSource refreshing = coldSource();
        String shortLived = await(refreshing.token());
        tokens.add(shortLived);
        tokens.add(await(TokenCalls.firstSuccess(vertx, () -> refreshing.token().compose(token -> token.equals(shortLived)
                ? Future.failedFuture("not refreshed yet")
                : Future.succeededFuture(token)), Duration.ofMillis(20), Duration.ofSeconds(5))));
        control.configure("{\"clientSecret\":\"rotated-elsewhere\"}");
        assertThat(failure(coldSource().token())).hasMessage("the token endpoint answered 401 (invalid_client)");
        control.reset();
        control.fault("{\"area\":\"auth\",\"status\":503,\"body\":\"html\"}");
        assertThat(failure(coldSource().token())).hasMessage("the token endpoint answered 503");
        control.clearFaults();
        control.fault("{\"area\":\"auth\",\"reset\":true}");
        assertThat(failure(coldSource().token())).hasMessageStartingWith("cannot reach the token endpoint");

        assertThat(tokens).hasSizeGreaterThanOrEqualTo(5);
        assertThat(lines()).anyMatch(line -> line.startsWith("DEBUG ") && line.contains("obtained an ITCare access token"));
        assertThat(lines()).anyMatch(line -> line.startsWith("WARN ") && line.contains("(invalid_client)"));
        assertThat(lines()).anyMatch(line -> line.startsWith("INFO ") && line.contains("refused the current access token"));
        String pair = ClientCredentialsProfile.CLIENT_ID + ":" + ClientCredentialsProfile.SECRET;
        List<String> forbidden = new ArrayList<>(List.of(ClientCredentialsProfile.SECRET, "rotated-elsewhere",
                Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
        forbidden.addAll(tokens);
        for (String line : lines()) {
            for (String secret : forbidden) {
                assertThat(line).doesNotContain(secret);
            }
        }
    }
}
