package cloud.cegedim.itcareproxy.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link FaultyUpstream} before the proxy and points {@code itcare-proxy.upstream.url} at it (under the
 * {@code /itcare} base path). Tests receive it in a field annotated {@link Faulty}.
 */
public final class FaultyUpstreamResource implements QuarkusTestResourceLifecycleManager {

    /** Marks the test field that receives the running faulty upstream. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Faulty {
    }

    private FaultyUpstream upstream;

    @Override
    public Map<String, String> start() {
        upstream = new FaultyUpstream().start();
        return Map.of("itcare-proxy.upstream.url", "http://127.0.0.1:" + upstream.port() + "/itcare");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(upstream, new TestInjector.AnnotatedAndMatchesType(Faulty.class, FaultyUpstream.class));
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }
}
