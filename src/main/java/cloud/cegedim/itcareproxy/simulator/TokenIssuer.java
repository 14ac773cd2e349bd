package cloud.cegedim.itcareproxy.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The Keycloak of realm {@code cloud}, as far as a client-credentials client sees it: a token endpoint with HTTP Basic
 * client authentication, and the memory of the tokens it issued, so that the ITCare API can refuse calls without one
 * ({@code require-token}). Its state changes at run time through the control API (a rotated secret, a new lifetime,
 * revoked tokens) and goes back to the configuration on reset.
 * <p>
 * Answers follow Keycloak: a missing {@code grant_type} is 400 {@code invalid_request}, bad client credentials 401
 * {@code invalid_client}, any grant but {@code client_credentials} 400 {@code unsupported_grant_type}.
 */
final class TokenIssuer {

    static final String TOKEN_PATH = "/auth/realms/cloud/protocol/openid-connect/token";

    /** The fault area of the token endpoint: a fault must name it; {@code *} covers only the ITCare API. */
    static final String AREA = "auth";

    /** Keycloak's refresh tokens outlive the access token: 7200 s for ITCare's 1200 s tokens. */
    private static final int REFRESH_FACTOR = 6;

    private final SimulatorConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> issued = new HashMap<>();
    private String clientSecret;
    private long lifetimeSeconds;
    private boolean requireToken;
    private long tokenRequests;
    private long tokensIssued;
    private long tokenRequestsRefused;
    private long apiCallsRefused;

    TokenIssuer(SimulatorConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        reset();
    }

    /** Back to the configuration: its secret, lifetime and requirement, no tokens, no counts. */
    synchronized void reset() {
        clientSecret = config.clientSecret();
        lifetimeSeconds = config.tokenLifetime().toSeconds();
        requireToken = config.requireToken();
        issued.clear();
        tokenRequests = 0;
        tokensIssued = 0;
        tokenRequestsRefused = 0;
        apiCallsRefused = 0;
    }

    /** Counts every request to the token endpoint, before any fault can strike it. */
    void count(RoutingContext ctx) {
        synchronized (this) {
            tokenRequests++;
        }
        ctx.next();
    }

    /** {@code POST} on the token endpoint. */
    void issue(RoutingContext ctx) {
        String grantType = ctx.request().getFormAttribute("grant_type");
        if (grantType == null) {
            refuse(ctx, 400, "invalid_request", "Missing form parameter: grant_type");
        } else if (!authenticated(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"cloud\"");
            refuse(ctx, 401, "invalid_client", "Invalid client or Invalid client credentials");
        } else if (!grantType.equals("client_credentials")) {
            refuse(ctx, 400, "unsupported_grant_type", "Unsupported grant_type");
        } else {
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store").putHeader("Pragma", "no-cache");
            Json.send(ctx, 200, grant());
        }
    }

    /** In front of the ITCare API when tokens are required: ITCare's 401 has an empty body. */
    void guard(RoutingContext ctx) {
        if (allowed(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            ctx.next();
            return;
        }
        ctx.response().setStatusCode(401).end();
    }

    private synchronized boolean allowed(String authorization) {
        if (!requireToken) {
            return true;
        }
        String token = credentials(authorization, "Bearer ");
        Instant expiry = token == null ? null : issued.get(token);
        if (expiry != null && clock.instant().isBefore(expiry)) {
            return true;
        }
        apiCallsRefused++;
        return false;
    }

    private synchronized boolean authenticated(String authorization) {
        String encoded = credentials(authorization, "Basic ");
        try {
            String pair = encoded == null ? "" : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            // RFC 6749 2.3.1: both parts are form-urlencoded before they are joined, as Keycloak decodes them.
            return colon > 0
                    && URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8).equals(config.clientId())
                    && URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8).equals(clientSecret);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The credentials after {@code scheme}, compared case-insensitively; {@code null} for another scheme. */
    private static String credentials(String authorization, String scheme) {
        if (authorization == null || !authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return null;
        }
        return authorization.substring(scheme.length()).trim();
    }

    private synchronized ObjectNode grant() {
        Instant now = clock.instant();
        issued.values().removeIf(expiry -> !now.isBefore(expiry));
        String token = randomToken();
        issued.put(token, now.plusSeconds(lifetimeSeconds));
        tokensIssued++;
        ObjectNode body = Json.object();
        body.put("access_token", token);
        body.put("expires_in", lifetimeSeconds);
        body.put("refresh_expires_in", lifetimeSeconds * REFRESH_FACTOR);
        body.put("refresh_token", randomToken());
        body.put("token_type", "bearer");
        body.put("not-before-policy", 0);
        body.put("scope", "profile email");
        return body;
    }

    private void refuse(RoutingContext ctx, int status, String error, String description) {
        synchronized (this) {
            tokenRequestsRefused++;
        }
        ObjectNode body = Json.object();
        body.put("error", error);
        body.put("error_description", description);
        Json.send(ctx, status, body);
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Applies a change posted to {@code /_simulator/auth}: {@code requireToken}, {@code clientSecret} (the old one is
     * refused from then on), {@code tokenLifetimeSeconds} (for tokens issued from then on), {@code revokeTokens}
     * (every token issued so far is refused from then on). Unknown fields are refused, as for faults.
     */
    synchronized void configure(ObjectNode spec) {
        spec.fieldNames().forEachRemaining(name -> {
            if (!name.equals("requireToken") && !name.equals("clientSecret") && !name.equals("tokenLifetimeSeconds")
                    && !name.equals("revokeTokens")) {
                throw ApiError.invalidField(name);
            }
        });
        Boolean require = bool(spec, "requireToken");
        String secret = spec.has("clientSecret") ? secret(spec) : null;
        int lifetime = Fields.intIn(spec, "tokenLifetimeSeconds", 1, 86_400, (int) lifetimeSeconds);
        Boolean revoke = bool(spec, "revokeTokens");
        if (require != null) {
            requireToken = require;
        }
        if (secret != null) {
            clientSecret = secret;
        }
        lifetimeSeconds = lifetime;
        if (Boolean.TRUE.equals(revoke)) {
            issued.clear();
        }
    }

    private static Boolean bool(ObjectNode spec, String field) {
        if (!spec.has(field)) {
            return null;
        }
        if (!spec.get(field).isBoolean()) {
            throw ApiError.invalidField(field);
        }
        return spec.get(field).asBoolean();
    }

    private static String secret(ObjectNode spec) {
        if (!spec.get("clientSecret").isTextual() || spec.get("clientSecret").asText().isEmpty()) {
            throw ApiError.invalidField("clientSecret");
        }
        return spec.get("clientSecret").asText();
    }

    /** What a test reads back; never the secret, as no management surface should show one. */
    synchronized ObjectNode toJson() {
        Instant now = clock.instant();
        ObjectNode node = Json.object();
        node.put("clientId", config.clientId());
        node.put("requireToken", requireToken);
        node.put("tokenLifetimeSeconds", lifetimeSeconds);
        node.put("tokenRequests", tokenRequests);
        node.put("tokensIssued", tokensIssued);
        node.put("tokenRequestsRefused", tokenRequestsRefused);
        node.put("validTokens", issued.values().stream().filter(now::isBefore).count());
        node.put("apiCallsRefused", apiCallsRefused);
        return node;
    }
}
