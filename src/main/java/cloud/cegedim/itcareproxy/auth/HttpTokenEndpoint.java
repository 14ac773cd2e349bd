package cloud.cegedim.itcareproxy.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The OAuth 2.0 client-credentials grant over the Vert.x Web Client: {@code POST auth.token-url}, form body
 * {@code grant_type=client_credentials}, HTTP Basic client authentication (RFC 6749 2.3.1: id and secret
 * form-urlencoded, then joined). Nothing here logs: failures become {@link TokenUnavailable} messages made of the
 * status, the OAuth {@code error} code and exception types, never a body, a header, the secret or a token.
 * <p>
 * Why not the Quarkus OIDC client: its {@code OidcClientImpl} logs every token request's headers at DEBUG, the Basic
 * {@code Authorization} (the secret, base64-encoded) included, and fixes the secret when the client is created.
 */
final class HttpTokenEndpoint implements TokenEndpoint, AutoCloseable {

    /** RFC 6750's b64token: anything else would be unsafe or invalid in an Authorization header. */
    private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** A token claiming a longer life is refreshed after this one anyway. */
    private static final long MAX_LIFETIME_SECONDS = Duration.ofDays(1).toSeconds();
    private static final int MAX_MESSAGE = 200;

    private final Vertx vertx;
    private final WebClient client;
    private final String tokenUrl;
    private final String shownUrl;
    private final String clientId;
    private final ClientSecret secret;
    private final long timeoutMs;

    HttpTokenEndpoint(Vertx vertx, String tokenUrl, String clientId, ClientSecret secret, Duration timeout) {
        this.vertx = vertx;
        this.tokenUrl = tokenUrl;
        this.shownUrl = withoutUserInfo(tokenUrl);
        this.clientId = clientId;
        this.secret = secret;
        this.timeoutMs = Math.max(1, timeout.toMillis());
        // One request at a time is all the cache ever sends; redirects are not followed with the credentials.
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
                .setFollowRedirects(false)
                .setMaxPoolSize(1)
                .setUserAgent("itcare-proxy"));
    }

    @Override
    public String describe() {
        return shownUrl;
    }

    /**
     * The whole request, the secret file included, is bounded by {@code auth.token-timeout}; the HTTP request has the
     * same timeout, which closes its connection rather than leave it to a late answer.
     */
    @Override
    public Future<Issued> fetch() {
        Promise<Issued> result = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, id -> result.tryFail(timedOut()));
        secret.read().compose(this::post).onComplete(outcome -> {
            vertx.cancelTimer(timer);
            if (outcome.succeeded()) {
                result.tryComplete(outcome.result());
            } else {
                result.tryFail(outcome.cause());
            }
        });
        return result.future();
    }

    private Future<Issued> post(String secretValue) {
        String authorization = basic(clientId, secretValue);
        return client.postAbs(tokenUrl)
                .putHeader("Authorization", authorization)
                .putHeader("Accept", "application/json")
                .timeout(timeoutMs)
                .sendForm(MultiMap.caseInsensitiveMultiMap().add("grant_type", "client_credentials"))
                .transform(sent -> {
                    if (sent.failed() && sent.cause() instanceof TimeoutException) {
                        return Future.failedFuture(timedOut());
                    }
                    if (sent.failed()) {
                        return Future.failedFuture(new TokenUnavailable("cannot reach the token endpoint " + shownUrl
                                + ": " + safe(sent.cause(), secretValue, authorization.substring("Basic ".length()))));
                    }
                    try {
                        return Future.succeededFuture(parse(sent.result().statusCode(), sent.result().body()));
                    } catch (TokenUnavailable refused) {
                        return Future.failedFuture(refused);
                    }
                });
    }

    private TokenUnavailable timedOut() {
        return new TokenUnavailable("no answer from the token endpoint " + shownUrl + " within " + timeoutMs + " ms");
    }

    /** {@code Basic base64(urlencode(id) ":" urlencode(secret))}. */
    static String basic(String clientId, String secret) {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the endpoint's answer. A 200 must hold a bearer {@code access_token} and a positive {@code expires_in}
     * (seconds, a number or digits); anything else is refused, naming only what is wrong.
     */
    static Issued parse(int status, Buffer body) {
        JsonObject json = jsonObject(body);
        if (status != 200) {
            Object error = json == null ? null : json.getValue("error");
            boolean named = error instanceof String code && ERROR_CODE.matcher(code).matches();
            throw new TokenUnavailable("the token endpoint answered " + status + (named ? " (" + error + ")" : ""));
        }
        if (json == null) {
            throw new TokenUnavailable("the token endpoint answered 200 without a JSON object");
        }
        if (!(json.getValue("access_token") instanceof String token) || !BEARER_TOKEN.matcher(token).matches()) {
            throw new TokenUnavailable("the token endpoint answered 200 without a usable access_token");
        }
        Object type = json.getValue("token_type");
        if (type != null && !(type instanceof String name && name.equalsIgnoreCase("bearer"))) {
            throw new TokenUnavailable("the token endpoint answered 200 with a token that is not a bearer token");
        }
        long seconds = seconds(json.getValue("expires_in"));
        if (seconds <= 0) {
            throw new TokenUnavailable("the token endpoint answered 200 without a valid expires_in");
        }
        return new Issued(token, Duration.ofSeconds(Math.min(seconds, MAX_LIFETIME_SECONDS)));
    }

    private static long seconds(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof String digits && digits.matches("[0-9]{1,12}")) {
            return Long.parseLong(digits);
        }
        return -1;
    }

    private static JsonObject jsonObject(Buffer body) {
        if (body == null || body.length() == 0) {
            return null;
        }
        try {
            return new JsonObject(body);
        } catch (RuntimeException notAnObject) {
            // Its message quotes the body, which may hold a token: it is dropped here.
            return null;
        }
    }

    /** The exception's type and message, with any credential cut out and the length bounded. */
    static String safe(Throwable failure, String... credentials) {
        String message = failure.getMessage();
        String text = failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        for (String credential : credentials) {
            if (credential != null && !credential.isEmpty()) {
                text = text.replace(credential, "***");
            }
        }
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
    }

    private static String withoutUserInfo(String url) {
        try {
            URI uri = new URI(url);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return "(auth.token-url)";
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
