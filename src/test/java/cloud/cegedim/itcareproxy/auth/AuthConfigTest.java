package cloud.cegedim.itcareproxy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.cegedim.itcareproxy.config.ConfigValidation;
import cloud.cegedim.itcareproxy.config.ProxyConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The auth keys as users write them, mapped and checked as at start-up, and the producer's choice of source. */
class AuthConfigTest {

    @TempDir
    Path dir;

    static ProxyConfig load(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .withMapping(ProxyConfig.class)
                .build()
                .getConfigMapping(ProxyConfig.class);
    }

    private static ProxyConfig clientCredentials(Map<String, String> more) {
        Map<String, String> properties = new HashMap<>(more);
        properties.put("itcare-proxy.auth.mode", "client-credentials");
        properties.put("itcare-proxy.auth.client-id", "itcare-proxy");
        return load(properties);
    }

    @Test
    void theNewKeysHaveTheirDefaults() {
        ProxyConfig.Auth auth = load(Map.of()).auth();

        assertThat(auth.clientSecretFile()).isEmpty();
        assertThat(auth.refreshMargin()).isEqualTo(Duration.ofSeconds(60));
        assertThat(auth.tokenTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(auth.backoff().initial()).isEqualTo(Duration.ofMillis(100));
        assertThat(auth.backoff().max()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void clientCredentialsWithASecretOrAReadableFileIsValid() throws Exception {
        Path file = Files.writeString(dir.resolve("client-secret"), "mounted");

        assertThat(ConfigValidation.problems(clientCredentials(Map.of("itcare-proxy.auth.client-secret", "s")))).isEmpty();
        assertThat(ConfigValidation.problems(clientCredentials(Map.of("itcare-proxy.auth.client-secret-file",
                file.toString())))).isEmpty();
    }

    @Test
    void clientCredentialsNeedsExactlyOneReadableSourceOfTheSecret() throws Exception {
        Path file = Files.writeString(dir.resolve("client-secret"), "mounted");

        assertThat(ConfigValidation.problems(clientCredentials(Map.of()))).containsExactly(
                "itcare-proxy.auth.client-secret (or auth.client-secret-file) is required when auth.mode is "
                        + "client-credentials");
        assertThat(ConfigValidation.problems(clientCredentials(Map.of("itcare-proxy.auth.client-secret", "s",
                "itcare-proxy.auth.client-secret-file", file.toString())))).containsExactly(
                        "itcare-proxy.auth.client-secret-file must not be set together with auth.client-secret");
        assertThat(ConfigValidation.problems(clientCredentials(Map.of("itcare-proxy.auth.client-secret-file",
                dir.resolve("absent").toString())))).containsExactly(
                        "itcare-proxy.auth.client-secret-file cannot be read: '" + dir.resolve("absent") + "'");
    }

    @Test
    void badDurationsAreReportedWithTheirKeys() {
        ProxyConfig config = clientCredentials(Map.of("itcare-proxy.auth.client-secret", "s",
                "itcare-proxy.auth.refresh-margin", "0s",
                "itcare-proxy.auth.token-timeout", "-1s",
                "itcare-proxy.auth.backoff.initial", "5s",
                "itcare-proxy.auth.backoff.max", "1s"));

        assertThat(ConfigValidation.problems(config)).containsExactly(
                "itcare-proxy.auth.refresh-margin must be a positive duration, was PT0S",
                "itcare-proxy.auth.token-timeout must be a positive duration, was PT-1S",
                "itcare-proxy.auth.backoff.max must not be below auth.backoff.initial");
    }

    @Test
    void passthroughModeProducesADisabledSourceWithoutLookingAtCredentials() {
        TokenSource source = new AuthBeans().tokenSource(load(Map.of()), null, TokenEvents.NONE);

        assertThat(source.enabled()).isFalse();
        assertThat(source.token().cause()).isInstanceOf(TokenUnavailable.class);
    }

    @Test
    void clientCredentialsWithoutASecretStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> new AuthBeans().tokenSource(clientCredentials(Map.of()), null, TokenEvents.NONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("itcare-proxy.auth.client-secret (or auth.client-secret-file) is required");
    }

    @Test
    void theMappedConfigurationNeverPrintsTheSecret() {
        ProxyConfig config = clientCredentials(Map.of("itcare-proxy.auth.client-secret", "do-not-print-me"));

        assertThat(config.toString()).doesNotContain("do-not-print-me");
        assertThat(config.auth().toString()).doesNotContain("do-not-print-me");
    }
}
