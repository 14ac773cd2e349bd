package cloud.cegedim.itcareproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;

class RequestGateTest {

    private final RequestGate gate = new RequestGate(1000);

    @Test
    void letsOrdinaryRequestsThrough() {
        assertThat(check("GET", "/compute/instances?page=0&sort=name,asc&names=a%2Cb", host())).isNull();
        assertThat(check("POST", "/compute/instances", host().add("Content-Length", "1000"))).isNull();
        assertThat(check("PUT", "/storage/x", host().add("Transfer-Encoding", "Chunked"))).isNull();
        assertThat(check("GET", "/files/..config/a.b/...", host())).isNull();
        assertThat(check("GET", "/compute/%41", host())).isNull();
    }

    @Test
    void looksThroughRepeatedPercentEncodingForDotSegments() {
        assertThat(RequestGate.checkTarget("/a/%2e%2E/b")).isEqualTo("dot-segments in the path");
        assertThat(RequestGate.checkTarget("/a/%252e%252e/b")).isEqualTo("dot-segments in the path");
        assertThat(RequestGate.checkTarget("/a/%25252e%25252e/b")).isEqualTo("dot-segments in the path");
        assertThat(RequestGate.checkTarget("/a/%2e%2e%5cb")).isEqualTo("dot-segments in the path");
        assertThat(RequestGate.checkTarget("/a/b?x=/../")).isNull();
        assertThat(RequestGate.checkTarget("/a/%2525252525252e")).isEqualTo("too many levels of percent-encoding in the path");
    }

    @Test
    void refusesEachShapeWithItsCode() {
        assertThat(code("CONNECT", "/x", host())).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        assertThat(code("GET", "http://evil/x", host())).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        assertThat(code("OPTIONS", "*", host())).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        assertThat(code("GET", "/a#frag", host())).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        assertThat(code("GET", "/x", MultiMap.caseInsensitiveMultiMap())).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        assertThat(code("GET", "/x", host().add("Host", "other"))).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        assertThat(code("POST", "/x", host().add("Transfer-Encoding", "gzip, chunked"))).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        assertThat(code("POST", "/x", host().add("Transfer-Encoding", "chunked").add("Content-Length", "3")))
                .isEqualTo(ErrorCode.MALFORMED_REQUEST);
        assertThat(code("POST", "/x", host().add("Content-Length", "+3"))).isEqualTo(ErrorCode.MALFORMED_REQUEST);
        assertThat(code("POST", "/x", host().add("Content-Length", "1001"))).isEqualTo(ErrorCode.REQUEST_TOO_LARGE);
    }

    @Test
    void http10NeedsNoHost() {
        assertThat(gate.check(HttpMethod.GET, "/x", HttpVersion.HTTP_1_0, MultiMap.caseInsensitiveMultiMap())).isNull();
    }

    private ErrorCode code(String method, String target, MultiMap headers) {
        RequestGate.Refusal refusal = check(method, target, headers);
        return refusal == null ? null : refusal.code();
    }

    private RequestGate.Refusal check(String method, String target, MultiMap headers) {
        return gate.check(HttpMethod.valueOf(method), target, HttpVersion.HTTP_1_1, headers);
    }

    private static MultiMap host() {
        return MultiMap.caseInsensitiveMultiMap().add("Host", "proxy");
    }
}
