package cloud.cegedim.itcareproxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

class ReplayBufferTest {

    private static final int MIB = 1024 * 1024;

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    @Test
    void manySmallChunksCrossingTheLimitLeaveNothingHeld() {
        ReplayBuffer buffer = new ReplayBuffer(MIB);
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
        assertThat(buffer.size()).isEqualTo(4096L * 257);
        assertThatThrownBy(buffer::body).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1052672 bytes").hasMessageContaining("1048576");
    }

    @Test
    void onceCrossedTheLimitStaysCrossedEvenForEmptyChunks() {
        ReplayBuffer buffer = new ReplayBuffer(10);

        assertThat(buffer.append(Buffer.buffer(new byte[11]))).isFalse();
        assertThat(buffer.append(Buffer.buffer())).isFalse();
        assertThat(buffer.replayable()).isFalse();
    }

    @Test
    void aBodyOfExactlyTheLimitStaysReplayableAndByteExact() {
        ReplayBuffer buffer = new ReplayBuffer(MIB);
        Random random = new Random(7);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();

        for (int i = 0; i < 4096; i++) {
            byte[] chunk = randomBytes(random, 256);
            sent.write(chunk, 0, chunk.length);
            assertThat(buffer.append(Buffer.buffer(chunk))).isTrue();
        }

        assertThat(buffer.replayable()).isTrue();
        assertThat(buffer.size()).isEqualTo(MIB);
        Buffer body = buffer.body();
        assertThat(body.length()).isEqualTo(MIB);
        assertThat(body.getBytes()).isEqualTo(sent.toByteArray());
    }

    @Test
    void theMergedBodyIsKeptForTheNextReplay() {
        ReplayBuffer buffer = new ReplayBuffer(100);
        buffer.append(Buffer.buffer("abc"));
        buffer.append(Buffer.buffer("def"));

        Buffer first = buffer.body();

        assertThat(buffer.heldChunks()).isOne();
        assertThat(buffer.body()).isSameAs(first);
        assertThat(first.toString()).isEqualTo("abcdef");
    }

    @Test
    void aSingleChunkIsReplayedWithoutACopy() {
        ReplayBuffer buffer = new ReplayBuffer(100);
        Buffer only = Buffer.buffer("{\"name\":\"vm-1\"}");
        buffer.append(only);

        assertThat(buffer.body()).isSameAs(only);
    }

    @Test
    void chunksAppendedAfterAReplayAreIncludedInTheNext() {
        ReplayBuffer buffer = new ReplayBuffer(100);
        buffer.append(Buffer.buffer("ab"));
        buffer.append(Buffer.buffer("cd"));
        buffer.body();

        buffer.append(Buffer.buffer("ef"));

        assertThat(buffer.body().toString()).isEqualTo("abcdef");
    }

    @Test
    void anEmptyBodyIsReplayable() {
        ReplayBuffer buffer = new ReplayBuffer(MIB);
        buffer.append(Buffer.buffer());

        assertThat(buffer.replayable()).isTrue();
        assertThat(buffer.body().length()).isZero();
        assertThat(buffer.heldChunks()).isZero();
    }

    @Test
    void aZeroLimitKeepsOnlyAnEmptyBody() {
        ReplayBuffer buffer = new ReplayBuffer(0);

        assertThat(buffer.append(Buffer.buffer())).isTrue();
        assertThat(buffer.append(Buffer.buffer("x"))).isFalse();
        assertThat(buffer.size()).isOne();
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertThatThrownBy(() -> new ReplayBuffer(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
