package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.FaultyUpstream;
import cloud.cegedim.itcareproxy.support.FaultyUpstreamResource;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code upstream.keep-alive-timeout}: a pooled upstream connection left unused that long is closed by the proxy, so
 * that no request goes out on a connection that a load balancer in front of ITCare is about to close; a connection in
 * use is kept.
 */
@QuarkusTest
@TestProfile(UpstreamKeepAliveTest.OneSecond.class)
@QuarkusTestResource(value = FaultyUpstreamResource.class, restrictToAnnotatedClass = true)
class UpstreamKeepAliveTest {

    public static class OneSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("itcare-proxy.upstream.keep-alive-timeout", "1s");
        }
    }

    @FaultyUpstreamResource.Faulty
    FaultyUpstream upstream;

    @Inject
    ProxyServer proxy;

    @BeforeEach
    void healthy() {
        upstream.reset();
    }

    @Test
    void anUnusedPooledConnectionIsClosedAfterTheKeepAliveTimeoutAndTheNextRequestOpensANewOne() {
        ProxyClient client = new ProxyClient(proxy.port());

        HttpResponse<String> first = client.get("/compute/instances", "X-Test-Id", "keep-alive-1");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(upstream.openConnections()).isEqualTo(1);

        // The default (30 s) would keep it open far beyond this deadline.
        FakeUpstream.await(Duration.ofSeconds(10), () -> upstream.openConnections() == 0);

        HttpResponse<String> second = client.get("/compute/instances", "X-Test-Id", "keep-alive-2");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(upstream.received("keep-alive-2")).isOne();
        assertThat(upstream.openConnections()).isEqualTo(1);
    }
}
