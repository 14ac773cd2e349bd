package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;

class HopByHopTest {

    @Test
    void recognisesEveryHopByHopFieldInAnyCase() {
        for (String name : new String[] { "Connection", "KEEP-ALIVE", "proxy-connection", "Te", "Trailer",
                "Transfer-Encoding", "upgrade", "Proxy-Authorization", "Proxy-Authenticate" }) {
            assertThat(HopByHop.isHopByHop(name)).as(name).isTrue();
        }
        for (String name : new String[] { "Authorization", "Accept", "Content-Type", "ITCare-DryRun", "Tea", "Trailers",
                "Content-Length", "X-Request-Id", "" }) {
            assertThat(HopByHop.isHopByHop(name)).as(name).isFalse();
        }
    }

    @Test
    void readsTheTokensThatConnectionNames() {
        assertThat(HopByHop.namedBy("keep-alive, X-Hop ,x-other", "x-hop")).isTrue();
        assertThat(HopByHop.namedBy("keep-alive, X-Hop ,x-other", "X-OTHER")).isTrue();
        assertThat(HopByHop.namedBy("keep-alive, X-Hop", "X-Ho")).isFalse();
        assertThat(HopByHop.namedBy("", "x")).isFalse();
        assertThat(HopByHop.namedBy(",,", "x")).isFalse();
    }

    @Test
    void copiesEndToEndFieldsInOrderWithRepeatsAndSkipsTheRest() {
        MultiMap from = MultiMap.caseInsensitiveMultiMap()
                .add("Accept", "application/json")
                .add("Connection", "close, X-Private")
                .add("X-Private", "1")
                .add("Set-Cookie", "a=1")
                .add("Set-Cookie", "b=2")
                .add("Transfer-Encoding", "chunked")
                .add("Host", "client");
        MultiMap to = MultiMap.caseInsensitiveMultiMap();

        HopByHop.copyEndToEnd(from, to, name -> name.equalsIgnoreCase("host"));

        assertThat(to.names()).containsExactlyInAnyOrder("Accept", "Set-Cookie");
        assertThat(to.getAll("Set-Cookie")).containsExactly("a=1", "b=2");
    }
}
