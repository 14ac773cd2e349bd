package cloud.cegedim.itcareproxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

/** Reading the token endpoint's answers, and what its failures may say: pure functions, no HTTP. */
class HttpTokenEndpointTest {

    private static final String KEYCLOAK = "{\"access_token\":\"eyJhbGciOi.J9-x_y~z+/\",\"expires_in\":1200,"
            + "\"refresh_expires_in\":7200,\"refresh_token\":\"eyJr\",\"token_type\":\"bearer\",\"not-before-policy\":0}";

    private static TokenEndpoint.Issued parse(int status, String body) {
        return HttpTokenEndpoint.parse(status, body == null ? null : Buffer.buffer(body));
    }

    private static void refused(int status, String body, String message) {
        assertThatThrownBy(() -> parse(status, body)).isInstanceOf(TokenUnavailable.class).hasMessage(message);
    }

    @Test
    void readsKeycloaksAnswer() {
        TokenEndpoint.Issued issued = parse(200, KEYCLOAK);

        assertThat(issued.accessToken()).isEqualTo("eyJhbGciOi.J9-x_y~z+/");
        assertThat(issued.lifetime()).isEqualTo(Duration.ofSeconds(1200));
        assertThat(issued).hasToString("Issued[accessToken=***, lifetime=PT20M]");
    }

    @Test
    void acceptsExpiresInAsDigitsAndATokenTypeInAnyCaseOrNone() {
        assertThat(parse(200, "{\"access_token\":\"abc\",\"expires_in\":\"300\",\"token_type\":\"Bearer\"}").lifetime())
                .isEqualTo(Duration.ofSeconds(300));
        assertThat(parse(200, "{\"access_token\":\"abc\",\"expires_in\":60}").lifetime())
                .isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void capsAClaimedLifeAtOneDay() {
        assertThat(parse(200, "{\"access_token\":\"abc\",\"expires_in\":99999999999}").lifetime())
                .isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aRefusalNamesTheStatusAndTheOauthErrorCodeOnly() {
        refused(401, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client or Invalid client credentials\"}",
                "the token endpoint answered 401 (invalid_client)");
        refused(400, "{\"error\":\"unsupported_grant_type\"}", "the token endpoint answered 400 (unsupported_grant_type)");
        refused(503, "<html><body>503 Service Temporarily Unavailable</body></html>", "the token endpoint answered 503");
        refused(500, null, "the token endpoint answered 500");
        refused(400, "{\"error\":\"secret=simulator-secret leaked here\"}", "the token endpoint answered 400");
    }

    @Test
    void aSuccessWithoutAUsableTokenIsRefusedWithoutQuotingTheBody() {
        refused(200, "access_token=abc&expires_in=1200", "the token endpoint answered 200 without a JSON object");
        refused(200, "[\"abc\"]", "the token endpoint answered 200 without a JSON object");
        refused(200, "{\"expires_in\":1200}", "the token endpoint answered 200 without a usable access_token");
        refused(200, "{\"access_token\":\"abc\\r\\nX-Injected: 1\",\"expires_in\":1200}",
                "the token endpoint answered 200 without a usable access_token");
        refused(200, "{\"access_token\":42,\"expires_in\":1200}",
                "the token endpoint answered 200 without a usable access_token");
        refused(200, "{\"access_token\":\"abc\",\"expires_in\":1200,\"token_type\":\"mac\"}",
                "the token endpoint answered 200 with a token that is not a bearer token");
    }

    @Test
    void aSuccessWithoutAPositiveLifetimeIsRefused() {
        refused(200, "{\"access_token\":\"abc\"}", "the token endpoint answered 200 without a valid expires_in");
        refused(200, "{\"access_token\":\"abc\",\"expires_in\":0}", "the token endpoint answered 200 without a valid expires_in");
        refused(200, "{\"access_token\":\"abc\",\"expires_in\":\"soon\"}",
                "the token endpoint answered 200 without a valid expires_in");
    }

    @Test
    void basicAuthenticationFormUrlencodesBothPartsBeforeJoiningThem() {
        String header = HttpTokenEndpoint.basic("itcare-proxy", "a+b%c:d é");

        assertThat(header).startsWith("Basic ");
        assertThat(new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8))
                .isEqualTo("itcare-proxy:a%2Bb%25c%3Ad+%C3%A9");
    }

    @Test
    void aFailureIsItsTypeAndMessageWithCredentialsCutOutAndItsLengthBounded() {
        assertThat(HttpTokenEndpoint.safe(new ConnectException("Connection refused: /127.0.0.1:1"), "s3cret"))
                .isEqualTo("ConnectException: Connection refused: /127.0.0.1:1");
        assertThat(HttpTokenEndpoint.safe(new IllegalStateException("sent s3cret as czNjcmV0"), "s3cret", "czNjcmV0"))
                .isEqualTo("IllegalStateException: sent *** as ***");
        assertThat(HttpTokenEndpoint.safe(new IllegalStateException("x".repeat(500))))
                .hasSize(203).endsWith("...");
        assertThat(HttpTokenEndpoint.safe(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
