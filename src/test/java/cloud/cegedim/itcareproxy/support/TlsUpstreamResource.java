package cloud.cegedim.itcareproxy.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Like {@link UpstreamResource}, with an HTTPS upstream whose certificate is self-signed. */
public final class TlsUpstreamResource implements QuarkusTestResourceLifecycleManager {

    private FakeUpstream upstream;

    @Override
    public Map<String, String> start() {
        upstream = new FakeUpstream().startTls();
        return Map.of("itcare-proxy.upstream.url", "https://127.0.0.1:" + upstream.port() + "/itcare");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(upstream,
                new TestInjector.AnnotatedAndMatchesType(UpstreamResource.Upstream.class, FakeUpstream.class));
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.stop();
        }
    }
}
