package cloud.cegedim.itcareproxy.proxy;

import java.util.HashSet;
import java.util.Set;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.Http1xServerConnection;

/**
 * A deadline for the whole request header section, from its first byte to its last: what the idle timeout cannot do
 * against a slowloris, which sends a byte a second and is never idle. A connection that sits idle between requests is
 * left to the idle timeout; one that started a header section and has not finished it within {@code timeout} is
 * closed. One instance per event loop, touched only by it: no locks, a field write per read, and one sweep a second.
 */
final class HeaderDeadline {

    private static final AttributeKey<Watch> WATCH = AttributeKey.valueOf("itcare-proxy.header-deadline");

    private final long timeoutNanos;
    private final Set<Watch> watches = new HashSet<>();

    HeaderDeadline(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** Puts the watch in front of the decoder of a new connection. */
    void watch(HttpConnection connection) {
        if (connection instanceof Http1xServerConnection http1) {
            Channel channel = http1.channelHandlerContext().channel();
            Watch watch = new Watch(channel);
            channel.attr(WATCH).set(watch);
            channel.pipeline().addBefore(StrictRequestDecoder.NAME, "itcare-proxy-header-deadline", watch);
            watches.add(watch);
            connection.closeHandler(closed -> watches.remove(watch));
        }
    }

    /** A request's head has been decoded: the header section is complete. */
    static void headReceived(HttpServerRequest request) {
        Watch watch = watchOf(request);
        if (watch != null) {
            watch.awaitingHead = false;
            watch.firstByteNanos = 0;
        }
    }

    /** The response is written: whatever arrives next starts a new header section. */
    static void exchangeDone(HttpServerRequest request) {
        Watch watch = watchOf(request);
        if (watch != null) {
            watch.awaitingHead = true;
        }
    }

    /** Closes every connection whose header section started more than the timeout ago. */
    void sweep(long now) {
        for (Watch watch : watches) {
            if (watch.awaitingHead && watch.firstByteNanos != 0 && now - watch.firstByteNanos > timeoutNanos) {
                watch.channel.close();
            }
        }
    }

    private static Watch watchOf(HttpServerRequest request) {
        return request.connection() instanceof Http1xServerConnection http1
                ? http1.channelHandlerContext().channel().attr(WATCH).get()
                : null;
    }

    /** Notes when the first byte of a header section arrived; passes everything on untouched. */
    static final class Watch extends ChannelInboundHandlerAdapter {

        private final Channel channel;
        private boolean awaitingHead = true;
        private long firstByteNanos;

        Watch(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (awaitingHead && firstByteNanos == 0) {
                firstByteNanos = System.nanoTime();
            }
            context.fireChannelRead(message);
        }
    }
}
