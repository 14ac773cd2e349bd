package cloud.cegedim.itcareproxy.resilience;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.buffer.Buffer;

/**
 * Keeps a request body while it streams to the upstream, so that a retry can send it again (Linkerd's approach): the
 * first attempt does not wait for the whole body, and a body that turns out to be too large simply stops being kept.
 * The limit ({@code retry.replay-buffer}) is on the running total, not on a chunk: many small chunks cross it as surely
 * as one large one. Once crossed, everything held is dropped at once, so a large upload never holds memory for a
 * retry that cannot happen.
 *
 * <p>The chunks are kept by reference, not copied, as Vert.x hands each one to the request handler in a buffer of its
 * own; callers must not modify a chunk after appending it. {@link #body()} copies them into one buffer the first time a
 * replay needs them, and keeps that buffer for the next replay: each byte is copied at most once.
 *
 * <p>One per request, used by the request's event loop only: not thread-safe, by design.
 */
public final class ReplayBuffer {

    /** A {@link Buffer} holds at most this many bytes; a larger limit could never be replayed in one buffer. */
    private static final long MAX_BUFFER = Integer.MAX_VALUE - 8;

    private final long limit;
    private List<Buffer> chunks = new ArrayList<>(4);
    private long size;

    /**
     * @param limit the largest body, in bytes, that stays replayable ({@code retry.replay-buffer}); at most about 2 GiB
     */
    public ReplayBuffer(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("replay buffer limit must not be negative: " + limit);
        }
        this.limit = Math.min(limit, MAX_BUFFER);
    }

    /**
     * Counts {@code chunk} and keeps it while the running total stays within the limit.
     *
     * @return whether the body is still replayable; once false, it stays false and nothing more is kept
     */
    public boolean append(Buffer chunk) {
        size += chunk.length();
        if (chunks == null) {
            return false;
        }
        if (size > limit) {
            chunks = null;
            return false;
        }
        if (chunk.length() > 0) {
            chunks.add(chunk);
        }
        return true;
    }

    /** Whether the whole body so far is held: at most {@code limit} bytes were appended. */
    public boolean replayable() {
        return chunks != null;
    }

    /**
     * The whole body appended so far, for a replay. The same buffer is returned by later calls until more is appended;
     * writing it to a Vert.x request does not consume it.
     *
     * @throws IllegalStateException when the body is not replayable
     */
    public Buffer body() {
        if (chunks == null) {
            throw new IllegalStateException("request body of " + size + " bytes exceeded the replay limit of " + limit);
        }
        if (chunks.isEmpty()) {
            return Buffer.buffer(0);
        }
        if (chunks.size() > 1) {
            Buffer whole = Buffer.buffer((int) size);
            for (Buffer chunk : chunks) {
                whole.appendBuffer(chunk);
            }
            chunks = new ArrayList<>(4);
            chunks.add(whole);
        }
        return chunks.get(0);
    }

    /** Bytes appended in all, also those seen after the limit was crossed and not kept. */
    public long size() {
        return size;
    }

    /** Chunks currently held: zero once the limit is crossed (tests check that the memory is released). */
    int heldChunks() {
        return chunks == null ? 0 : chunks.size();
    }
}
