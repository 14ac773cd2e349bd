package cloud.cegedim.itcareproxy.tracing;

import cloud.cegedim.itcareproxy.metrics.ExchangeObserver;

/** The server span of one client request; only the request's event loop touches it. */
public interface ExchangeSpan {

    ExchangeSpan NONE = new ExchangeSpan() {
        @Override
        public AttemptSpan attempt(int attempt) {
            return AttemptSpan.NONE;
        }

        @Override
        public void end(ExchangeObserver.Completed exchange) {
        }
    };

    /**
     * Starts the client span of one upstream attempt ({@code attempt} counts from 1), a child of this span. Called only
     * when an attempt is really sent: a breaker's refusal or a missing token makes no client span.
     */
    AttemptSpan attempt(int attempt);

    /** Ends the span with what the client was answered. Called once, from the exchange's one end. */
    void end(ExchangeObserver.Completed exchange);
}
