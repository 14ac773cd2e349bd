package cloud.cegedim.itcareproxy.proxy;

import io.netty.handler.codec.http.HttpMessage;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

/**
 * Vert.x's request decoder, except that a message with both {@code Transfer-Encoding: chunked} and
 * {@code Content-Length} is refused instead of silently losing its {@code Content-Length} (Netty's default). That
 * pair is the classic request-smuggling shape (RFC 9112 section 6.3 lets a server reject it): such a request becomes
 * a decoder failure and reaches the invalid-request handler, never the upstream.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

    static final String NAME = "httpDecoder";

    StrictRequestDecoder(HttpServerOptions options) {
        super(options);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new IllegalArgumentException("Content-Length and Transfer-Encoding: chunked together");
    }
}
