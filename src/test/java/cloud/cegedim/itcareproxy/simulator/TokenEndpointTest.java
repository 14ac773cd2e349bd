package cloud.cegedim.itcareproxy.simulator;

import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.api;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.control;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.envelope;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.fieldNames;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.json;
import static cloud.cegedim.itcareproxy.simulator.SimulatorClient.tokenEndpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@TestProfile(SimulatorTestProfile.class)
class TokenEndpointTest {

    private static final String INVALID_CLIENT =
            "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client or Invalid client credentials\"}";

    @Inject
    ItcareSimulator simulator;

    @Inject
    @Simulated
    MovableClock clock;

    @BeforeEach
    void freshWorld() {
        SimulatorClient.reset(simulator);
    }

    private static String basic(String id, String secret) {
        String pair = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private Response requestToken(String authorization, String grantType) {
        return tokenEndpoint(simulator).header("Authorization", authorization).formParam("grant_type", grantType).post();
    }

    private String token() {
        return json(requestToken(basic("itcare-proxy", "simulator-secret"), "client_credentials")
                .then().statusCode(200).extract().response()).get("access_token").asText();
    }

    private void configure(String spec) {
        control(simulator).contentType(ContentType.JSON).body(spec).post("/auth").then().statusCode(200);
    }

    private JsonNode state() {
        return json(control(simulator).get("/auth").then().statusCode(200).extract().response());
    }

    @Test
    void issuesAKeycloakShapedBearerTokenToTheConfiguredClient() {
        Response response = requestToken(basic("itcare-proxy", "simulator-secret"), "client_credentials");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getContentType()).isEqualTo("application/json");
        assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
        JsonNode body = json(response);
        assertThat(fieldNames(body)).containsExactly("access_token", "expires_in", "refresh_expires_in", "refresh_token",
                "token_type", "not-before-policy", "scope");
        assertThat(body.get("access_token").asText()).matches("[A-Za-z0-9_-]{43}");
        assertThat(body.get("expires_in").asLong()).isEqualTo(1200L);
        assertThat(body.get("refresh_expires_in").asLong()).isEqualTo(7200L);
        assertThat(body.get("token_type").asText()).isEqualTo("bearer");
        assertThat(token()).isNotEqualTo(body.get("access_token").asText());
    }

    @Test
    void refusesAWrongSecretWith401InvalidClient() {
        requestToken(basic("itcare-proxy", "guessed"), "client_credentials").then()
                .statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"cloud\"")
                .body(equalTo(INVALID_CLIENT));
        requestToken(basic("another-client", "simulator-secret"), "client_credentials").then()
                .statusCode(401).body(equalTo(INVALID_CLIENT));
    }

    @Test
    void refusesARequestWithoutBasicCredentialsWith401InvalidClient() {
        tokenEndpoint(simulator).formParam("grant_type", "client_credentials").post().then()
                .statusCode(401).body(equalTo(INVALID_CLIENT));
        requestToken("Bearer something", "client_credentials").then().statusCode(401).body(equalTo(INVALID_CLIENT));
        requestToken("Basic %%%", "client_credentials").then().statusCode(401).body(equalTo(INVALID_CLIENT));
    }

    @Test
    void refusesAnotherGrantTypeWith400UnsupportedGrantType() {
        requestToken(basic("itcare-proxy", "simulator-secret"), "password").then()
                .statusCode(400)
                .body(equalTo("{\"error\":\"unsupported_grant_type\",\"error_description\":\"Unsupported grant_type\"}"));
    }

    @Test
    void refusesAMissingGrantTypeWith400InvalidRequest() {
        tokenEndpoint(simulator).header("Authorization", basic("itcare-proxy", "simulator-secret"))
                .formParam("scope", "profile").post().then()
                .statusCode(400)
                .body(equalTo("{\"error\":\"invalid_request\",\"error_description\":\"Missing form parameter: grant_type\"}"));
    }

    @Test
    void decodesFormUrlencodedCredentialsAsRfc6749Requires() {
        configure("{\"clientSecret\":\"a+b%c:d\"}");

        requestToken(basic("itcare-proxy", "a+b%c:d"), "client_credentials").then().statusCode(200);
        String raw = Base64.getEncoder().encodeToString("itcare-proxy:a+b%c:d".getBytes(StandardCharsets.UTF_8));
        requestToken("Basic " + raw, "client_credentials").then().statusCode(401);
    }

    @Test
    void aRotatedSecretIsAcceptedAndTheOldOneRefused() {
        configure("{\"clientSecret\":\"rotated-secret\"}");

        requestToken(basic("itcare-proxy", "simulator-secret"), "client_credentials").then().statusCode(401);
        requestToken(basic("itcare-proxy", "rotated-secret"), "client_credentials").then().statusCode(200);
    }

    @Test
    void requiringATokenRefusesApiCallsWithoutAValidOneWithAnEmpty401() {
        String token = token();
        configure("{\"requireToken\":true}");

        Response anonymous = api(simulator).get("/compute/resources");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.getHeader("Content-Length")).isEqualTo("0");
        assertThat(anonymous.getContentType()).isEmpty();
        api(simulator).header("Authorization", "Bearer not-issued-here").get("/compute/resources").then()
                .statusCode(401).body(emptyString());
        api(simulator).header("Authorization", basic("itcare-proxy", "simulator-secret")).get("/compute/resources")
                .then().statusCode(401);
        api(simulator).header("Authorization", "Bearer " + token).get("/compute/resources").then().statusCode(200);
        api(simulator).header("Authorization", "bearer " + token).get("/health").then().statusCode(200);
    }

    @Test
    void withoutTheRequirementApiCallsNeedNoToken() {
        api(simulator).get("/compute/resources").then().statusCode(200);
        api(simulator).header("Authorization", "Bearer anything").get("/health").then().statusCode(200);
    }

    @Test
    void aTokenExpiresWhenTheSimulatorsClockPassesItsLifetime() {
        configure("{\"requireToken\":true,\"tokenLifetimeSeconds\":2}");
        String token = token();
        clock.advance(Duration.ofMillis(1999));
        api(simulator).header("Authorization", "Bearer " + token).get("/health").then().statusCode(200);

        clock.advance(Duration.ofMillis(1));

        api(simulator).header("Authorization", "Bearer " + token).get("/health").then().statusCode(401);
    }

    @Test
    void aNewLifetimeAppliesToTheTokensIssuedFromThenOn() {
        configure("{\"tokenLifetimeSeconds\":2}");

        JsonNode body = json(requestToken(basic("itcare-proxy", "simulator-secret"), "client_credentials"));

        assertThat(body.get("expires_in").asLong()).isEqualTo(2L);
        assertThat(body.get("refresh_expires_in").asLong()).isEqualTo(12L);
    }

    @Test
    void revokedTokensAreRefusedAndNewOnesAccepted() {
        configure("{\"requireToken\":true}");
        String revoked = token();

        configure("{\"revokeTokens\":true}");

        api(simulator).header("Authorization", "Bearer " + revoked).get("/health").then().statusCode(401);
        api(simulator).header("Authorization", "Bearer " + token()).get("/health").then().statusCode(200);
    }

    @Test
    void theStateCountsRequestsIssuedTokensRefusalsAndRefusedApiCallsButNeverShowsTheSecret() {
        token();
        token();
        requestToken(basic("itcare-proxy", "guessed"), "client_credentials");
        configure("{\"requireToken\":true}");
        api(simulator).get("/health");

        String state = control(simulator).get("/auth").then().statusCode(200).extract().asString();

        assertThat(state).isEqualTo("{\"clientId\":\"itcare-proxy\",\"requireToken\":true,\"tokenLifetimeSeconds\":1200,"
                + "\"tokenRequests\":3,\"tokensIssued\":2,\"tokenRequestsRefused\":1,\"validTokens\":2,"
                + "\"apiCallsRefused\":1}");
        assertThat(state).doesNotContain("simulator-secret");
    }

    @Test
    void aFaultForAreaAuthHitsTheTokenEndpointAndAStarFaultDoesNot() {
        control(simulator).contentType(ContentType.JSON).body("{\"area\":\"*\",\"status\":500}").post("/faults")
                .then().statusCode(201);
        token();
        control(simulator).contentType(ContentType.JSON).body("{\"area\":\"auth\",\"status\":503,\"body\":\"html\"}")
                .post("/faults").then().statusCode(201);

        requestToken(basic("itcare-proxy", "simulator-secret"), "client_credentials").then()
                .statusCode(503).contentType("text/html").header(FaultInjector.FAULT_HEADER, "2");

        assertThat(state().get("tokenRequests").asLong()).isEqualTo(2L);
        assertThat(state().get("tokensIssued").asLong()).isEqualTo(1L);
    }

    @Test
    void resetGoesBackToTheConfiguredSettingsWithNoTokens() {
        configure("{\"requireToken\":true,\"clientSecret\":\"rotated\",\"tokenLifetimeSeconds\":5}");
        requestToken(basic("itcare-proxy", "simulator-secret"), "client_credentials").then().statusCode(401);

        SimulatorClient.reset(simulator);

        assertThat(control(simulator).get("/auth").asString()).isEqualTo("{\"clientId\":\"itcare-proxy\","
                + "\"requireToken\":false,\"tokenLifetimeSeconds\":1200,\"tokenRequests\":0,\"tokensIssued\":0,"
                + "\"tokenRequestsRefused\":0,\"validTokens\":0,\"apiCallsRefused\":0}");
        requestToken(basic("itcare-proxy", "simulator-secret"), "client_credentials").then().statusCode(200);
    }

    @Test
    void refusesAnUnknownOrInvalidAuthSetting() {
        control(simulator).contentType(ContentType.JSON).body("{\"requireTokens\":true}").post("/auth").then()
                .statusCode(400)
                .body(equalTo(envelope("BAD_REQUEST", "INVALID_FIELD_VALUE", "requireTokens",
                        "Error on field 'requireTokens'")));
        control(simulator).contentType(ContentType.JSON).body("{\"tokenLifetimeSeconds\":0}").post("/auth").then()
                .statusCode(400);
        control(simulator).contentType(ContentType.JSON).body("{\"clientSecret\":\"\"}").post("/auth").then()
                .statusCode(400);
        control(simulator).contentType(ContentType.JSON).body("{\"requireToken\":\"yes\"}").post("/auth").then()
                .statusCode(400);
        assertThat(state().get("requireToken").asBoolean()).isFalse();
    }
}
