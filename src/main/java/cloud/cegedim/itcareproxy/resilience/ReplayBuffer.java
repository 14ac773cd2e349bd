package cloud.cegedim.itcareproxy.resilience;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * Keeps a request body while it streams to the upstream, so that a retry can send it again (Linkerd's approach): the
 * first attempt does not wait for the whole body, and a body that turns out to be too large simply stops being kept.
 * The limit ({@code retry.replay-buffer}) is on the running total, not on a chunk: many small chunks cross it as surely
 * as one large one. Once crossed, everything held is released at once, so a large upload never holds memory for a
 * retry that cannot happen.
 *
 * <p>Off the heap. Each chunk is copied into a pooled direct buffer of a Netty pool kept for replay buffers, and given
 * back when the exchange ends ({@link #release()}). Kept on the heap, the bodies of many concurrent uploads
 * outlive young collections, get promoted and make the heap grow to its maximum, for memory that a retry almost never
 * reads; off it, the heap only sees the short-lived chunks Vert.x hands over, and the pool's memory is reused by the
 * next upload. A replay writes the held bytes themselves, without a copy ({@link #retainedBody()}).
 *
 * <p>When Netty's direct memory limit ({@code io.netty.maxDirectMemory}, by default the heap's maximum) is reached,
 * the body stops being kept, as if it were over the replay limit: it streams on, and is not retried.
 *
 * <p>Reference counted: the buffer holds one reference, each replay under way another, so bytes still queued on a
 * connection are never freed under it, whatever ends first.
 *
 * <p>One per request, used by the request's event loop only: not thread-safe, by design.
 */
public final class ReplayBuffer {

    /**
     * The pool the copies come from: direct only, in 4 MiB chunks. Quarkus gives Netty's shared pool 64 KiB chunks
     * ({@code io.netty.allocator.maxOrder=3}), so a 1 MiB body filled sixteen chunks that the pool made and dropped
     * again with every upload, each one a {@code malloc} and a {@code free} that glibc keeps. Raising the shared
     * pool's chunk size instead ({@code quarkus.netty.allocator-max-order=9}) measured worse: every connection's read
     * buffers then come from 4 MiB chunks too (upload peak 249-255 MiB against 240-244 with this pool).
     */
    private static final ByteBufAllocator REPLAY_ALLOCATOR = new PooledByteBufAllocator(true, 0,
            PooledByteBufAllocator.defaultNumDirectArena(), PooledByteBufAllocator.defaultPageSize(), 9,
            PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
            PooledByteBufAllocator.defaultUseCacheForAllThreads());

    /** A buffer holds at most this many bytes; a larger limit could never be replayed in one buffer. */
    private static final long MAX_BUFFER = Integer.MAX_VALUE - 8;

    private final long limit;
    private final ByteBufAllocator allocator;
    /** The chunks held, created with the first one; null before, and once released or over the limit. */
    private CompositeByteBuf held;
    private boolean dropped;
    private long size;

    /**
     * @param limit the largest body, in bytes, that stays replayable ({@code retry.replay-buffer}); at most about 2 GiB
     */
    public ReplayBuffer(long limit) {
        this(limit, REPLAY_ALLOCATOR);
    }

    ReplayBuffer(long limit, ByteBufAllocator allocator) {
        if (limit < 0) {
            throw new IllegalArgumentException("replay buffer limit must not be negative: " + limit);
        }
        this.limit = Math.min(limit, MAX_BUFFER);
        this.allocator = allocator;
    }

    /**
     * Counts {@code chunk} and keeps a copy of it while the running total stays within the limit.
     *
     * @return whether the body is still replayable; once false, it stays false and nothing more is kept
     */
    public boolean append(Buffer chunk) {
        int length = chunk.length();
        size += length;
        if (dropped) {
            return false;
        }
        if (size > limit) {
            release();
            return false;
        }
        if (length > 0) {
            if (held == null) {
                held = allocator.compositeDirectBuffer(Integer.MAX_VALUE);
            }
            ByteBuf copy;
            try {
                copy = allocator.directBuffer(length, length);
            } catch (OutOfMemoryError full) {
                // Netty's direct memory limit (its OutOfDirectMemoryError; the JVM's own errors exit the process before
                // reaching here, -XX:+ExitOnOutOfMemoryError): the body streams on, it just cannot be replayed.
                release();
                return false;
            }
            copy.writeBytes(chunk.getByteBuf());
            held.addComponent(true, copy);
        }
        return true;
    }

    /** Whether the whole body so far is held: at most {@code limit} bytes were appended, and nothing was released. */
    public boolean replayable() {
        return !dropped;
    }

    /**
     * The whole body appended so far, for a replay: a new reference to the held bytes, which the caller releases once
     * they are written (a Vert.x write leaves the buffers it did not allocate to their owner). Later appends are not
     * seen by it.
     *
     * @throws IllegalStateException when the body is not replayable
     */
    public ByteBuf retainedBody() {
        if (dropped) {
            throw new IllegalStateException("request body of " + size + " bytes exceeded the replay limit of " + limit
                    + " or was released");
        }
        return held == null ? Unpooled.EMPTY_BUFFER : held.retainedDuplicate();
    }

    /**
     * Gives the held bytes back (those of a replay still being written go back when it releases its reference). The body
     * is no longer replayable, and later appends keep nothing. Idempotent.
     */
    public void release() {
        dropped = true;
        if (held != null) {
            held.release();
            held = null;
        }
    }

    /** Bytes appended in all, also those seen after the limit was crossed and not kept. */
    public long size() {
        return size;
    }

    /** Chunks currently held: zero once the limit is crossed or the buffer released (tests check the memory goes). */
    int heldChunks() {
        return held == null ? 0 : held.numComponents();
    }
}
