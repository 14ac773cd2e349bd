package cloud.cegedim.itcareproxy.tracing;

import java.util.Collection;
import java.util.Set;

import cloud.cegedim.itcareproxy.metrics.ExchangeObserver;
import cloud.cegedim.itcareproxy.upstream.Outcome;
import cloud.cegedim.itcareproxy.upstream.UpstreamTarget;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.vertx.core.MultiMap;

/**
 * The proxy's spans, made with the OpenTelemetry API rather than by the Vert.x tracer (the traffic server and the
 * upstream client run with {@code TracingPolicy.IGNORE}): the Vert.x instrumentation names a span from a router's route
 * or the method alone and records the raw path and query, while these spans are named {@code <method> <route>} with
 * the templated route, and carry no path, no query, no header value and no token.
 * <p>
 * What must stay true: a server span per client request, whose parent is the client's trace context; a client span per
 * attempt sent, whose parent is that server span and whose context is what the upstream receives; attributes only of
 * bounded or non-secret values (method, templated route, statuses, the upstream's configured host, the request id).
 */
final class OtelExchangeTracer implements ExchangeTracer {

    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> URL_TEMPLATE = AttributeKey.stringKey("url.template");
    static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("itcare_proxy.request_id");
    static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("itcare_proxy.error_code");
    static final AttributeKey<String> ORIGIN = AttributeKey.stringKey("itcare_proxy.origin");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("itcare_proxy.attempts");

    /** The methods of RFC 9110 and PATCH; any other is {@code _OTHER}, as the semantic conventions say. */
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT",
            "OPTIONS", "TRACE", "PATCH");

    private static final TextMapGetter<MultiMap> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(MultiMap carrier) {
            return carrier.names();
        }

        @Override
        public String get(MultiMap carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final Collection<String> propagatedHeaders;
    private final UpstreamTarget target;

    OtelExchangeTracer(OpenTelemetry openTelemetry, UpstreamTarget target) {
        this.tracer = openTelemetry.getTracer("itcare-proxy");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.propagatedHeaders = propagator.fields();
        this.target = target;
    }

    @Override
    public ExchangeSpan start(MultiMap headers, String method, String route, String requestId) {
        Context parent = propagator.extract(Context.root(), headers, HEADERS);
        String known = KNOWN_METHODS.contains(method) ? method : "_OTHER";
        Span span = tracer.spanBuilder(name(known, route))
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, known)
                .setAttribute(ROUTE, route)
                .setAttribute(SCHEME, "http")
                .setAttribute(REQUEST_ID, requestId)
                .startSpan();
        return new Server(parent.with(span), span, known, route);
    }

    /** {@code <method> <route>}, or {@code HTTP <route>} for a method outside the known ones. */
    private static String name(String method, String route) {
        return ("_OTHER".equals(method) ? "HTTP" : method) + " " + route;
    }

    private final class Server implements ExchangeSpan {

        private final Context context;
        private final Span span;
        private final String method;
        private final String route;

        Server(Context context, Span span, String method, String route) {
            this.context = context;
            this.span = span;
            this.method = method;
            this.route = route;
        }

        @Override
        public AttemptSpan attempt(int attempt) {
            var builder = tracer.spanBuilder(name(method, route))
                    .setParent(context)
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute(METHOD, method)
                    .setAttribute(URL_TEMPLATE, route)
                    .setAttribute(SCHEME, target.ssl() ? "https" : "http")
                    .setAttribute(SERVER_ADDRESS, target.host())
                    .setAttribute(SERVER_PORT, (long) target.port());
            if (attempt > 1) {
                builder.setAttribute(RESEND_COUNT, (long) attempt - 1);
            }
            Span client = builder.startSpan();
            return new Client(context.with(client), client);
        }

        @Override
        public void end(ExchangeObserver.Completed exchange) {
            if (exchange.status() > 0) {
                span.setAttribute(STATUS, (long) exchange.status());
            }
            if (exchange.status() >= 500) {
                span.setAttribute(ERROR_TYPE, Integer.toString(exchange.status()));
                span.setStatus(StatusCode.ERROR);
            }
            if (exchange.errorCode() != null) {
                span.setAttribute(ERROR_CODE, exchange.errorCode());
                span.setAttribute(ORIGIN, exchange.origin());
            }
            span.setAttribute(ATTEMPTS, (long) exchange.attempts());
            span.end();
        }
    }

    private final class Client implements AttemptSpan {

        private final Context context;
        private final Span span;

        Client(Context context, Span span) {
            this.context = context;
            this.span = span;
        }

        @Override
        public void inject(MultiMap upstreamHeaders) {
            // The client's own fields go first: an invalid traceparent's tracestate must not survive beside ours.
            for (String header : propagatedHeaders) {
                upstreamHeaders.remove(header);
            }
            propagator.inject(context, upstreamHeaders, MultiMap::set);
        }

        @Override
        public void end(Outcome outcome) {
            String error = errorType(outcome);
            if (outcome instanceof Outcome.Answered answered) {
                span.setAttribute(STATUS, (long) answered.status());
            }
            if (error != null) {
                span.setAttribute(ERROR_TYPE, error);
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }

    /** The semantic conventions' {@code error.type}: the status of a 4xx or 5xx answer, else the failure's kind. */
    static String errorType(Outcome outcome) {
        if (outcome instanceof Outcome.Answered answered) {
            return answered.status() >= 400 ? Integer.toString(answered.status()) : null;
        }
        if (outcome instanceof Outcome.ConnectFailed) {
            return "connect_error";
        }
        if (outcome instanceof Outcome.Reset) {
            return "reset";
        }
        if (outcome instanceof Outcome.TimedOut) {
            return "timeout";
        }
        return ((Outcome.Rejected) outcome).reason().name().toLowerCase(java.util.Locale.ROOT);
    }
}
