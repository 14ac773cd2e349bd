package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import cloud.cegedim.itcareproxy.support.TlsUpstreamResource;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The explicit opt-out, for test rigs: with upstream.verify-tls=false the same self-signed upstream is used. */
@QuarkusTest
@TestProfile(TlsWithoutVerificationTest.TrustAll.class)
@QuarkusTestResource(value = TlsUpstreamResource.class, restrictToAnnotatedClass = true)
class TlsWithoutVerificationTest {

    public static class TrustAll implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("itcare-proxy.upstream.verify-tls", "false");
        }
    }

    @UpstreamResource.Upstream
    FakeUpstream upstream;

    @Inject
    ProxyServer proxy;

    @Test
    void forwardsOverTlsWhenVerificationIsTurnedOff() {
        var response = new ProxyClient(proxy.port()).get("/compute/instances?page=0");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"ok\":true}");
        assertThat(upstream.last().uri()).isEqualTo("/itcare/compute/instances?page=0");
    }
}
