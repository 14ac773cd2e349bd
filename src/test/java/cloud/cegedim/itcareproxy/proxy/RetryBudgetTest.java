package cloud.cegedim.itcareproxy.proxy;

import static cloud.cegedim.itcareproxy.support.FakeUpstream.status;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.ProxyClient;
import cloud.cegedim.itcareproxy.support.UpstreamResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The retry budget under a 100 % 503 upstream, in an application of its own: the budget is process-wide, so no other
 * test's requests or retries may share its window.
 */
@QuarkusTest
@TestProfile(RetryTest.FastRetries.class)
@QuarkusTestResource(value = UpstreamResource.class, restrictToAnnotatedClass = true)
class RetryBudgetTest {

    @UpstreamResource.Upstream
    FakeUpstream upstream;

    @Inject
    ProxyServer proxy;

    @Test
    void theBudgetBoundsRetriesUnderAFullOutage() {
        upstream.answer(status(503));
        int requests = 200;

        for (int i = 0; i < requests; i++) {
            assertThat(new ProxyClient(proxy.port()).get("/compute/instances/" + i).statusCode()).isEqualTo(503);
        }

        // At most ratio 0.2 of the 200 requests of the window + 1 retry per second over its 10 s: 50 retries, where
        // 400 would have been made without a budget (3 attempts each).
        assertThat(upstream.count()).isEqualTo(requests + 50);
    }
}
