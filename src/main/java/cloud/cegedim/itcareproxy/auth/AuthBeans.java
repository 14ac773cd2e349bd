package cloud.cegedim.itcareproxy.auth;

import java.nio.file.Path;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import cloud.cegedim.itcareproxy.config.ConfigValidation;
import cloud.cegedim.itcareproxy.config.ProxyConfig;
import io.quarkus.arc.DefaultBean;
import io.vertx.core.Vertx;

/**
 * The token source for the configured {@code auth.mode}, and the silent {@link TokenEvents} that the metrics package
 * replaces. This is the only place that reads the {@code auth.*} keys.
 */
@Singleton
public class AuthBeans {

    private static final Logger LOG = Logger.getLogger(AuthBeans.class);

    @Produces
    @Singleton
    TokenSource tokenSource(ProxyConfig config, Vertx vertx, TokenEvents events) {
        if (config.auth().mode() != ProxyConfig.AuthMode.CLIENT_CREDENTIALS) {
            return new PassthroughTokenSource();
        }
        // Stops here, naming the key, if the credentials are missing: this can be built before the traffic port is.
        ConfigValidation.requireValid(config);
        ClientSecret secret = secret(config.auth(), vertx);
        CachingTokenSource source = clientCredentials(config.auth(), vertx, secret, events, System::nanoTime,
                Cooldown.randomDraw());
        LOG.infof("ITCare tokens: client-credentials grant for client '%s' at %s, secret from %s",
                config.auth().clientId().orElseThrow(), source.tokenUrl(), secret);
        return source;
    }

    void close(@Disposes TokenSource source) {
        if (source instanceof CachingTokenSource caching) {
            caching.close();
        }
    }

    @Produces
    @Singleton
    @DefaultBean
    TokenEvents noEvents() {
        return TokenEvents.NONE;
    }

    /** A client-credentials source on real HTTP; time and chance are parameters so that tests can fix them. */
    static CachingTokenSource clientCredentials(ProxyConfig.Auth auth, Vertx vertx, ClientSecret secret,
            TokenEvents events, LongSupplier nanoTime, DoubleSupplier draw) {
        HttpTokenEndpoint endpoint = new HttpTokenEndpoint(vertx, auth.tokenUrl(), auth.clientId().orElseThrow(),
                secret, auth.tokenTimeout());
        ProxyConfig.Auth.AuthBackoff backoff = auth.backoff();
        return new CachingTokenSource(endpoint, auth.refreshMargin(),
                new Cooldown(backoff.initial(), backoff.max(), draw),
                new Cooldown(backoff.initial(), backoff.max(), draw), nanoTime, events);
    }

    static ClientSecret secret(ProxyConfig.Auth auth, Vertx vertx) {
        return auth.clientSecretFile().filter(path -> !path.isBlank())
                .map(path -> ClientSecret.file(vertx, Path.of(path)))
                .orElseGet(() -> ClientSecret.value(auth.clientSecret().orElseThrow()));
    }
}
