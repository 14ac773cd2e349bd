package cloud.cegedim.itcareproxy.proxy;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import cloud.cegedim.itcareproxy.support.UpstreamResource;

/**
 * What every test of the proxy in front of a scripted upstream starts from: the upstream (reset to answer 200 before
 * each test), the running proxy, and a plain client aimed at it. Subclasses carry {@code @QuarkusTest} and
 * {@code @QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)}.
 */
abstract class ProxyTestBase {

    @UpstreamResource.Upstream
    FakeUpstream upstream;

    @Inject
    ProxyServer proxy;

    ProxyClient client;

    @BeforeEach
    void connect() {
        upstream.reset();
        client = new ProxyClient(proxy.port());
    }
}
