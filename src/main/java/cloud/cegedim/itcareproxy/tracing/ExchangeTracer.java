package cloud.cegedim.itcareproxy.tracing;

import io.vertx.core.MultiMap;

/**
 * Where a client request's spans start. {@link #OFF}, the default, starts nothing and allocates nothing: every call the
 * request path makes on it, and on the {@link ExchangeSpan#NONE} and {@link AttemptSpan#NONE} it hands out, does
 * nothing, so that with tracing off the client's {@code traceparent} and {@code tracestate} reach the upstream as they
 * came.
 */
@FunctionalInterface
public interface ExchangeTracer {

    ExchangeTracer OFF = (headers, method, route, requestId) -> ExchangeSpan.NONE;

    /**
     * Starts the server span of one client request, a child of the trace context in the client's {@code headers} (a
     * new trace when they carry none). {@code route} is the templated, bounded route: never a raw path.
     */
    ExchangeSpan start(MultiMap headers, String method, String route, String requestId);
}
