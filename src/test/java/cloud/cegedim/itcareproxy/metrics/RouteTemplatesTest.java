package cloud.cegedim.itcareproxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class RouteTemplatesTest {

    @Test
    void templatesIdsUuidsAndUnusualSegments() {
        assertThat(RouteTemplates.template("/compute/instances/500061854/networks")).isEqualTo("/compute/instances/{id}/networks");
        assertThat(RouteTemplates.template("/actions/3f2b8c1e-0a4d-4e6b-9c7d-1234567890ab")).isEqualTo("/actions/{uuid}");
        assertThat(RouteTemplates.template("/networking/loadbalancers/12/urls/vm-prod-01.example"))
                .isEqualTo("/networking/loadbalancers/{id}/urls/{param}");
        assertThat(RouteTemplates.template("/compute/instances?page=0&names=secret")).isEqualTo("/compute/instances");
        assertThat(RouteTemplates.template("/databases/postgresql/%41%42")).isEqualTo("/databases/postgresql/{param}");
        assertThat(RouteTemplates.template("/")).isEqualTo("/");
        assertThat(RouteTemplates.template("/compute/instances/")).isEqualTo("/compute/instances/");
        assertThat(RouteTemplates.template("/enable_ha/" + "a".repeat(41))).isEqualTo("/enable_ha/{param}");
    }

    @Test
    void boundsTheNumberOfDistinctRoutes() {
        RouteTemplates routes = new RouteTemplates(3, Set.of());

        assertThat(routes.route("/compute/instances/1")).isEqualTo("/compute/instances/{id}");
        assertThat(routes.route("/compute/instances/2")).isEqualTo("/compute/instances/{id}");
        assertThat(routes.route("/a")).isEqualTo("/a");
        assertThat(routes.route("/b")).isEqualTo("/b");
        assertThat(routes.route("/c")).isEqualTo(RouteTemplates.OTHER);
        assertThat(routes.route("/a")).isEqualTo("/a");
        assertThat(routes.size()).isEqualTo(3);
    }

    @Test
    void areasAreTheKnownFirstSegmentsOrOther() {
        RouteTemplates routes = new RouteTemplates(10, Set.of("billing"));

        assertThat(routes.area("/compute/instances/1")).isEqualTo("compute");
        assertThat(routes.area("/databases")).isEqualTo("databases");
        assertThat(routes.area("/billing/x")).isEqualTo("billing");
        assertThat(routes.area("/random-stuff/x")).isEqualTo("other");
        assertThat(routes.area("/actions?x=1")).isEqualTo("actions");
        assertThat(routes.area("/")).isEqualTo("other");
    }

    @Property
    void noTemplateEverHoldsTheDigitsOfAnId(@ForAll @LongRange(min = 10, max = Long.MAX_VALUE) long id) {
        String template = RouteTemplates.template("/compute/instances/" + id + "/networks?id=" + id);

        assertThat(template).isEqualTo("/compute/instances/{id}/networks").doesNotContain(Long.toString(id));
    }

    @Test
    void concurrentNewRoutesNeverExceedTheBound() throws InterruptedException {
        RouteTemplates routes = new RouteTemplates(50, Set.of());
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int offset = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    seen.add(routes.route("/r" + (char) ('a' + (i + offset) % 26) + (char) ('a' + i / 26 % 26)));
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Set<String> labels = new HashSet<>(seen);
        labels.remove(RouteTemplates.OTHER);
        assertThat(labels).hasSizeLessThanOrEqualTo(50);
        assertThat(routes.size()).isEqualTo(50);
    }
}
