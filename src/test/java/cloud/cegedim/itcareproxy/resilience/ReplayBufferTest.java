package cloud.cegedim.itcareproxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;

/**
 * The buffer's bytes and its memory: an instrumented allocator counts the direct bytes it has handed out and not had
 * back, so every test can say exactly what is held.
 */
class ReplayBufferTest {

    private static final int MIB = 1024 * 1024;

    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);

    private ReplayBuffer replayBuffer(long limit) {
        return new ReplayBuffer(limit, allocator);
    }

    private long directBytesHeld() {
        return allocator.metric().usedDirectMemory();
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String text(ByteBuf body) {
        return body.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void manySmallChunksCrossingTheLimitLeaveNothingHeld() {
        ReplayBuffer buffer = replayBuffer(MIB);
        Random random = new Random(42);
        int acceptedChunks = 0;

        for (int i = 0; i < 4096; i++) {
            if (buffer.append(Buffer.buffer(randomBytes(random, 257)))) {
                acceptedChunks++;
            }
        }

        assertThat(acceptedChunks).as("4080 * 257 = 1048560 fits, one more chunk does not").isEqualTo(4080);
        assertThat(buffer.replayable()).isFalse();
        assertThat(buffer.heldChunks()).isZero();
        assertThat(directBytesHeld()).isZero();
        assertThat(buffer.size()).isEqualTo(4096L * 257);
        assertThatThrownBy(buffer::retainedBody).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1052672 bytes").hasMessageContaining("1048576");
    }

    @Test
    void onceCrossedTheLimitStaysCrossedEvenForEmptyChunks() {
        ReplayBuffer buffer = replayBuffer(10);

        assertThat(buffer.append(Buffer.buffer(new byte[11]))).isFalse();
        assertThat(buffer.append(Buffer.buffer())).isFalse();
        assertThat(buffer.replayable()).isFalse();
    }

    @Test
    void aBodyOfExactlyTheLimitStaysReplayableAndByteExactOffTheHeap() {
        ReplayBuffer buffer = replayBuffer(MIB);
        Random random = new Random(7);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();

        for (int i = 0; i < 4096; i++) {
            byte[] chunk = randomBytes(random, 256);
            sent.write(chunk, 0, chunk.length);
            assertThat(buffer.append(Buffer.buffer(chunk))).isTrue();
        }

        assertThat(buffer.replayable()).isTrue();
        assertThat(buffer.size()).isEqualTo(MIB);
        assertThat(directBytesHeld()).isEqualTo(MIB);
        ByteBuf body = buffer.retainedBody();
        assertThat(body.isDirect()).isTrue();
        assertThat(body.readableBytes()).isEqualTo(MIB);
        assertThat(ByteBufUtil.getBytes(body)).isEqualTo(sent.toByteArray());
        body.release();
        buffer.release();
        assertThat(directBytesHeld()).isZero();
    }

    @Test
    void aChunkIsCopiedSoTheCallerMayReuseItsBuffer() {
        ReplayBuffer buffer = replayBuffer(100);
        Buffer chunk = Buffer.buffer("abc");
        buffer.append(chunk);

        chunk.setString(0, "xyz");

        ByteBuf body = buffer.retainedBody();
        assertThat(text(body)).isEqualTo("abc");
        body.release();
        buffer.release();
    }

    @Test
    void everyReplayReadsTheWholeBodyFromTheStartAndLaterAppendsAreInTheNextOnly() {
        ReplayBuffer buffer = replayBuffer(100);
        buffer.append(Buffer.buffer("ab"));
        buffer.append(Buffer.buffer("cd"));
        ByteBuf first = buffer.retainedBody();
        first.skipBytes(first.readableBytes());

        buffer.append(Buffer.buffer("ef"));
        ByteBuf second = buffer.retainedBody();

        assertThat(first.readableBytes()).isZero();
        assertThat(text(second)).isEqualTo("abcdef");
        first.release();
        second.release();
        buffer.release();
        assertThat(directBytesHeld()).isZero();
    }

    @Test
    void aReplayStillBeingWrittenKeepsItsBytesUntilItIsReleased() {
        ReplayBuffer buffer = replayBuffer(100);
        buffer.append(Buffer.buffer("{\"name\":\"vm-1\"}"));
        ByteBuf inFlight = buffer.retainedBody();

        buffer.release();

        assertThat(buffer.replayable()).isFalse();
        assertThat(directBytesHeld()).isEqualTo(15);
        assertThat(text(inFlight)).isEqualTo("{\"name\":\"vm-1\"}");
        inFlight.release();
        assertThat(directBytesHeld()).isZero();
    }

    @Test
    void afterReleaseNothingMoreIsKeptAndReleasingAgainIsHarmless() {
        ReplayBuffer buffer = replayBuffer(100);
        buffer.append(Buffer.buffer("abc"));
        buffer.release();

        assertThat(buffer.append(Buffer.buffer("def"))).isFalse();
        buffer.release();

        assertThat(buffer.heldChunks()).isZero();
        assertThat(directBytesHeld()).isZero();
        assertThat(buffer.size()).isEqualTo(6);
        assertThatThrownBy(buffer::retainedBody).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEmptyBodyIsReplayableAndHoldsNoMemory() {
        ReplayBuffer buffer = replayBuffer(MIB);
        buffer.append(Buffer.buffer());

        assertThat(buffer.replayable()).isTrue();
        assertThat(buffer.retainedBody().readableBytes()).isZero();
        assertThat(buffer.heldChunks()).isZero();
        assertThat(directBytesHeld()).isZero();
    }

    @Test
    void aZeroLimitKeepsOnlyAnEmptyBody() {
        ReplayBuffer buffer = replayBuffer(0);

        assertThat(buffer.append(Buffer.buffer())).isTrue();
        assertThat(buffer.append(Buffer.buffer("x"))).isFalse();
        assertThat(buffer.size()).isOne();
        assertThat(directBytesHeld()).isZero();
    }

    @Test
    void whenDirectMemoryRunsOutTheBodyStopsBeingKeptAndWhatWasHeldIsGivenBack() {
        // Netty throws its OutOfDirectMemoryError (an OutOfMemoryError) when its direct memory limit is reached.
        io.netty.buffer.ByteBufAllocator fullAfterTwoChunks = new io.netty.buffer.AbstractByteBufAllocator(true) {
            private int allocated;

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
                if (++allocated > 2) {
                    throw new OutOfMemoryError("failed to allocate " + initialCapacity + " byte(s) of direct memory");
                }
                return allocator.directBuffer(initialCapacity, maxCapacity);
            }

            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
                return allocator.heapBuffer(initialCapacity, maxCapacity);
            }

            @Override
            public boolean isDirectBufferPooled() {
                return false;
            }
        };
        ReplayBuffer buffer = new ReplayBuffer(100, fullAfterTwoChunks);

        assertThat(buffer.append(Buffer.buffer("ab"))).isTrue();
        assertThat(buffer.append(Buffer.buffer("cd"))).isTrue();
        assertThat(buffer.append(Buffer.buffer("ef"))).isFalse();

        assertThat(buffer.replayable()).isFalse();
        assertThat(buffer.heldChunks()).isZero();
        assertThat(directBytesHeld()).isZero();
        assertThat(buffer.size()).isEqualTo(6);
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertThatThrownBy(() -> new ReplayBuffer(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
