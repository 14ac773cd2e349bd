package cloud.cegedim.itcareproxy.support;

import java.util.HexFormat;
import java.util.SplittableRandom;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Deterministic pseudo-random bodies, produced chunk by chunk so that large ones are never held whole. */
public final class Bodies {

    public static final int CHUNK = 64 * 1024;

    private Bodies() {
    }

    public static byte[] chunk(long seed, int index) {
        SplittableRandom random = new SplittableRandom(seed * 31 + index);
        byte[] bytes = new byte[CHUNK];
        for (int i = 0; i < CHUNK; i += 8) {
            long value = random.nextLong();
            for (int b = 0; b < 8; b++) {
                bytes[i + b] = (byte) (value >>> (8 * b));
            }
        }
        return bytes;
    }

    /** SHA-256 of the body of {@code chunks} chunks of the given seed. */
    public static String sha256(long seed, int chunks) {
        var digest = FakeUpstream.sha256();
        for (int i = 0; i < chunks; i++) {
            digest.update(chunk(seed, i));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static byte[] whole(long seed, int chunks) {
        byte[] all = new byte[chunks * CHUNK];
        for (int i = 0; i < chunks; i++) {
            System.arraycopy(chunk(seed, i), 0, all, i * CHUNK, CHUNK);
        }
        return all;
    }

    /** Writes the body to a Vert.x response with back-pressure (fixed length or chunked), then ends it. */
    public static void write(HttpServerResponse response, long seed, int chunks, boolean chunked) {
        if (chunked) {
            response.setChunked(true);
        } else {
            response.putHeader("Content-Length", Long.toString((long) chunks * CHUNK));
        }
        writeFrom(response, seed, chunks, 0);
    }

    private static void writeFrom(HttpServerResponse response, long seed, int chunks, int index) {
        int i = index;
        while (i < chunks) {
            response.write(Buffer.buffer(chunk(seed, i)));
            i++;
            if (response.writeQueueFull()) {
                int next = i;
                response.drainHandler(drained -> writeFrom(response, seed, chunks, next));
                return;
            }
        }
        response.end();
    }

    public static byte[] gzip(String text) throws java.io.IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
