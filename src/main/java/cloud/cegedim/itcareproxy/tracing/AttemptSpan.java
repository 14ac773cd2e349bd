package cloud.cegedim.itcareproxy.tracing;

import cloud.cegedim.itcareproxy.upstream.Outcome;
import io.vertx.core.MultiMap;

/** The client span of one upstream attempt. */
public interface AttemptSpan {

    AttemptSpan NONE = new AttemptSpan() {
        @Override
        public void inject(MultiMap upstreamHeaders) {
        }

        @Override
        public void end(Outcome outcome) {
        }
    };

    /**
     * Writes this attempt's trace context into the headers the upstream will receive, in place of the client's: the
     * upstream's parent is then this client span.
     */
    void inject(MultiMap upstreamHeaders);

    /** Ends the span with the attempt's outcome (at the response headers, or at the failure). */
    void end(Outcome outcome);
}
