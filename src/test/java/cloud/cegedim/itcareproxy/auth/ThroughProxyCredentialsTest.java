package cloud.cegedim.itcareproxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.proxy.ProxyServer;
import cloud.cegedim.itcareproxy.simulator.ItcareSimulator;
import cloud.cegedim.itcareproxy.support.Envelopes;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * Client-credentials mode through the proxy, against the simulator that requires its own bearer tokens: applications
 * send no credentials (or their own, which never reach ITCare), and the proxy's token opens the API. Ordered: the
 * first test needs the proxy's token cache cold, the last leaves the token endpoint down.
 */
@QuarkusTest
@TestProfile(ThroughProxyCredentialsTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThroughProxyCredentialsTest {

    /** A profile of its own, so that this class starts with a cold token cache. */
    public static class Profile extends ClientCredentialsProfile {
    }

    @Inject
    ProxyServer proxy;

    @Inject
    ItcareSimulator simulator;

    // The management root path (/q) is prefixed by Quarkus.
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metricsPage;

    @Test
    @Order(1)
    void aHundredConcurrentCallsOnAColdCacheMakeOneTokenRequestAndTheClientsOwnAuthorizationNeverReachesItcare()
            throws Exception {
        SimulatorControl control = new SimulatorControl(simulator.port());
        ProxyClient client = new ProxyClient(proxy.port());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                calls.add(CompletableFuture.supplyAsync(
                        () -> client.get("/compute/resources", "Authorization", "Bearer the-applications-own-token"), pool));
            }
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                assertThat(call.get().statusCode()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(control.tokenRequests()).isEqualTo(1);
        assertThat(apiCallsRefused(control)).isZero();
        String metrics = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(metricsPage.toString()))
                .build()).body();
        assertThat(metrics).contains("itcare_proxy_token_refreshes_total{outcome=\"success\"} 1.0")
                .contains("itcare_proxy_token_refreshes_total{outcome=\"failure\"} 0.0")
                .containsPattern("itcare_proxy_token_expiry_seconds \\d+\\.\\d+");
    }

    @Test
    @Order(2)
    void anUpstream401TriggersOneFreshTokenAndOneRetry() {
        SimulatorControl control = new SimulatorControl(simulator.port());
        long tokensBefore = control.tokenRequests();
        control.configure("{\"revokeTokens\":true}");

        HttpResponse<String> response = new ProxyClient(proxy.port()).get("/compute/resources");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-ITCare-Proxy-Attempts")).hasValue("2");
        assertThat(control.tokenRequests()).isEqualTo(tokensBefore + 1);
    }

    @Test
    @Order(3)
    void aSecond401GoesBackToTheClientAsAnEnvelope() {
        SimulatorControl control = new SimulatorControl(simulator.port());
        control.fault("{\"area\":\"compute\",\"status\":401,\"rate\":1.0,\"body\":\"empty\",\"durationSeconds\":60}");
        try {
            HttpResponse<String> response = new ProxyClient(proxy.port()).get("/compute/resources");

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("X-ITCare-Proxy-Attempts")).hasValue("2");
            assertThat(response.headers().firstValue("X-ITCare-Proxy-Origin")).hasValue("upstream");
            assertThat(new JsonObject(response.body()).getString("errorCode")).isEqualTo("UNAUTHORIZED");
        } finally {
            control.clearFaults();
        }
    }

    @Test
    @Order(4)
    void aTokenEndpointThatIsDownGives502TokenUnavailableWithFewTokenRequests() {
        SimulatorControl control = new SimulatorControl(simulator.port());
        control.fault("{\"area\":\"auth\",\"status\":503,\"rate\":1.0,\"body\":\"empty\",\"durationSeconds\":60}");
        control.configure("{\"revokeTokens\":true}");
        long tokensBefore = control.tokenRequests();
        ProxyClient client = new ProxyClient(proxy.port());

        // The 401s of the tests before started the spacing of honoured rejections: until it ends, the proxy keeps
        // its token and ITCare's 401 goes back as it is. The first 502 marks its end; from then on every call fails
        // fast on the token, whatever the timing of this machine.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> first = client.get("/compute/resources");
        while (first.statusCode() == 401 && System.nanoTime() - deadline < 0) {
            assertThat(first.headers().firstValue("X-ITCare-Proxy-Origin")).hasValue("upstream");
            first = client.get("/compute/resources");
        }
        Envelopes.assertProxyError(first, 502, "BAD_GATEWAY", ErrorCode.TOKEN_UNAVAILABLE);

        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> last = first;
        for (int i = 0; i < 200; i++) {
            last = client.get("/compute/resources");
            statuses.add(last.statusCode());
        }

        Envelopes.assertProxyError(last, 502, "BAD_GATEWAY", ErrorCode.TOKEN_UNAVAILABLE);
        assertThat(statuses).containsOnly(502).hasSize(200);
        assertThat(control.tokenRequests() - tokensBefore).isBetween(1L, 5L);
        control.clearFaults();
    }

    private static long apiCallsRefused(SimulatorControl control) {
        return io.restassured.RestAssured.given().baseUri("http://127.0.0.1").port(control.port())
                .get("/_simulator/auth").then().extract().jsonPath().getLong("apiCallsRefused");
    }
}
