package cloud.cegedim.itcareproxy.resilience;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The default configuration but for a free HTTP port, so that parallel builds on one machine do not collide on 8081.
 * Nothing in this package's tests needs more.
 */
public class AnyFreePortProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.http.test-port", "0");
    }
}
