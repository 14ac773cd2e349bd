package cloud.cegedim.itcareproxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The configuration as users write it, mapped and checked exactly as at start-up. */
class ConfigValidationTest {

    @Test
    void theDefaultsAreValidAndAreTheContractsValues() {
        ProxyConfig config = load(Map.of());

        assertThat(ConfigValidation.problems(config)).isEmpty();
        assertThat(config.upstream().url()).isEqualTo("https://api.cegedim.cloud/itcare");
        assertThat(config.upstream().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.upstream().tryTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.upstream().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.upstream().keepAliveTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(config.limits().maxRequestBody().asLongValue()).isEqualTo(10L * 1024 * 1024);
        assertThat(config.limits().maxErrorBody().asLongValue()).isEqualTo(64L * 1024);
        assertThat(config.retry().statuses()).containsExactlyInAnyOrder(500, 503);
        assertThat(config.retry().methods()).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS", "PUT", "DELETE");
        assertThat(config.retry().budget().ratio()).isEqualTo(0.2);
        assertThat(config.circuitBreaker().scope()).isEqualTo(ProxyConfig.BreakerScope.AREA);
        assertThat(config.auth().mode()).isEqualTo(ProxyConfig.AuthMode.PASSTHROUGH);
    }

    @Test
    void eachBadValueIsReportedWithItsFullKey() {
        ProxyConfig config = load(Map.of(
                "itcare-proxy.upstream.url", "api.cegedim.cloud/itcare",
                "itcare-proxy.upstream.try-timeout", "-1s",
                "itcare-proxy.upstream.keep-alive-timeout", "0s",
                "itcare-proxy.retry.budget.ratio", "1.5",
                "itcare-proxy.retry.max-attempts", "0",
                "itcare-proxy.retry.methods", "GET,FETCH",
                "itcare-proxy.circuit-breaker.failure-ratio", "-0.1",
                "itcare-proxy.areas.\"compute\".circuit-breaker.delay", "0s",
                "itcare-proxy.retry.statuses", "503,999"));

        assertThat(ConfigValidation.problems(config)).containsExactly(
                "itcare-proxy.upstream.url must be an absolute http:// or https:// URL, was 'api.cegedim.cloud/itcare'",
                "itcare-proxy.upstream.try-timeout must be a positive duration, was PT-1S",
                "itcare-proxy.upstream.keep-alive-timeout must be a positive duration, was PT0S",
                "itcare-proxy.retry.max-attempts must be at least 1, was 0",
                "itcare-proxy.retry.statuses holds 999, not an HTTP status",
                "itcare-proxy.retry.methods holds 'FETCH', not an HTTP method",
                "itcare-proxy.retry.budget.ratio must be between 0 and 1, was 1.5",
                "itcare-proxy.circuit-breaker.failure-ratio must be between 0 and 1, was -0.1",
                "itcare-proxy.areas.\"compute\".circuit-breaker.delay must be a positive duration, was PT0S");
        assertThatThrownBy(() -> ConfigValidation.requireValid(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("itcare-proxy.retry.budget.ratio");
    }

    @Test
    void anUnknownScopeStopsTheMappingWithTheKeysName() {
        assertThatThrownBy(() -> load(Map.of("itcare-proxy.circuit-breaker.scope", "planet")))
                .hasMessageContaining("itcare-proxy.circuit-breaker.scope");
    }

    @Test
    void clientCredentialsNeedsAClientId() {
        ProxyConfig config = load(Map.of("itcare-proxy.auth.mode", "client-credentials"));

        assertThat(ConfigValidation.problems(config))
                .containsExactly("itcare-proxy.auth.client-id is required when auth.mode is client-credentials",
                        "itcare-proxy.auth.client-secret (or auth.client-secret-file) is required when auth.mode is client-credentials");
    }

    static ProxyConfig load(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .withMapping(ProxyConfig.class)
                .build();
        return config.getConfigMapping(ProxyConfig.class);
    }
}
