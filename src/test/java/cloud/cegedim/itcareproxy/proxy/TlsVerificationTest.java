package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import cloud.cegedim.itcareproxy.support.Envelopes;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import cloud.cegedim.itcareproxy.support.TlsUpstreamResource;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** TLS to the upstream is verified by default: an upstream with a self-signed certificate is never talked to. */
@QuarkusTest
@TestProfile(TlsVerificationTest.NoRetries.class)
@QuarkusTestResource(value = TlsUpstreamResource.class, restrictToAnnotatedClass = true)
class TlsVerificationTest {

    public static class NoRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("itcare-proxy.retry.enabled", "false");
        }
    }

    @UpstreamResource.Upstream
    FakeUpstream upstream;

    @Inject
    ProxyServer proxy;

    @Test
    void anUpstreamWhoseCertificateCannotBeVerifiedIsUnreachable() {
        var response = new ProxyClient(proxy.port()).get("/compute/instances", "Authorization", "Bearer secret-token");

        Envelopes.assertProxyError(response, 502, "BAD_GATEWAY", ErrorCode.UPSTREAM_UNREACHABLE);
        assertThat(upstream.received()).as("nothing, not even the Authorization header, was sent").isEmpty();
    }
}
