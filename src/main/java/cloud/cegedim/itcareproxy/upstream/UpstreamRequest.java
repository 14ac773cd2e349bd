package cloud.cegedim.itcareproxy.upstream;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;

/** What the client needs to know of a request to send one attempt of it; the proxy's exchange implements it. */
public interface UpstreamRequest {

    HttpMethod method();

    /** The client's origin-form target, path and query, exactly as received. */
    String originTarget();

    /**
     * Whether the attempt carries a body (Content-Length or chunked). Only such a request can stall while it is being
     * sent, so only it needs an idle timeout of its own; without one, the attempt's timeout starts as soon as the head
     * has been written.
     */
    boolean hasBody();

    /** Writes the headers the upstream must see into the attempt's (empty) header map. */
    void copyHeadersTo(MultiMap upstreamHeaders);

    /**
     * Streams or replays the body into the attempt and ends it. The future completes once the request has been ended,
     * which is when the wait for the response headers starts.
     */
    Future<Void> writeBody(HttpClientRequest attempt);
}
