package cloud.cegedim.itcareproxy.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link FakeUpstream} before the proxy and points {@code itcare-proxy.upstream.url} at it (under the
 * {@code /itcare} base path, like the real API). Tests receive it in a field annotated {@link Upstream}.
 */
public final class UpstreamResource implements QuarkusTestResourceLifecycleManager {

    /** Marks the test field that receives the running fake upstream. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Upstream {
    }

    private FakeUpstream upstream;

    @Override
    public Map<String, String> start() {
        upstream = new FakeUpstream().start();
        return Map.of("itcare-proxy.upstream.url", "http://127.0.0.1:" + upstream.port() + "/itcare");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(upstream, new TestInjector.AnnotatedAndMatchesType(Upstream.class, FakeUpstream.class));
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.stop();
        }
    }
}
