package cloud.cegedim.itcareproxy.errors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import io.vertx.core.buffer.Buffer;

/**
 * Turns whatever ITCare (or a load balancer in front of it) sent with an error status into the proxy's envelope.
 *
 * <p>The rule that must stay true: a body that is not an ITCare envelope never reaches the client, not even one byte of
 * it. Such bodies can hold stack traces, internal host names or a load balancer's HTML page. So the result is built
 * either from the string members of a well-formed envelope or from {@link Envelope#defaults(int)} alone; nothing else
 * of the body is ever copied.
 *
 * <p>A body is an envelope when it is exactly one JSON object (UTF-8, optional BOM, whitespace around it) with at least
 * one of {@code errorCode}, {@code errorDesc}, {@code errorMessage} as a JSON string. Its {@code status} member is
 * always replaced by the name of the real status, so that it can never contradict the status line.
 *
 * <p>The parser is Jackson's streaming parser over a single shared, immutable {@link JsonFactory}: no tree is built, no
 * mapper is created per call, nested values are skipped without being kept, and nesting deeper than
 * {@value #MAX_NESTING_DEPTH} levels is refused, so the work stays linear in the size of the body, which the caller
 * bounds ({@code limits.max-error-body}). Any failure, whatever the bytes, ends in the defaults: this method never
 * throws.
 */
public final class ErrorNormalizer {

    /** Error bodies are flat; this leaves room for nested extra members and bounds what a hostile body costs. */
    static final int MAX_NESTING_DEPTH = 32;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build();

    private static final char BOM = '\uFEFF';

    /**
     * The envelope to send, and whether the upstream body already is exactly that envelope.
     *
     * @param envelope the four members to send; never null
     * @param verbatim true when the original bytes may be sent unchanged: the body was a UTF-8 JSON object without
     *                 a BOM, with exactly the four members, all strings, and its {@code status} already right. Sending
     *                 the original then keeps ITCare's own formatting and spares an encoding.
     */
    public record Normalized(Envelope envelope, boolean verbatim) {
        public Normalized {
            Objects.requireNonNull(envelope, "envelope");
        }
    }

    private ErrorNormalizer() {
    }

    /**
     * Normalizes one upstream error body.
     *
     * @param status the status line of the upstream response
     * @param body   the whole upstream body, or {@code null} when it was too large to be inspected
     */
    public static Normalized normalize(int status, Buffer body) {
        Envelope defaults = Envelope.defaults(status);
        if (body == null || body.length() == 0) {
            return new Normalized(defaults, false);
        }
        String text = strictUtf8(body);
        if (text == null) {
            return new Normalized(defaults, false);
        }
        boolean bom = !text.isEmpty() && text.charAt(0) == BOM;
        Members members = read(bom ? text.substring(1) : text);
        if (members == null || !members.isEnvelope()) {
            return new Normalized(defaults, false);
        }
        Envelope envelope = new Envelope(defaults.status(),
                orElse(members.errorCode, defaults.errorCode()),
                orElse(members.errorDesc, defaults.errorDesc()),
                orElse(members.errorMessage, defaults.errorMessage()));
        boolean verbatim = !bom && members.isExactlyTheFour() && defaults.status().equals(members.status);
        return new Normalized(envelope, verbatim);
    }

    /**
     * Decodes the body as UTF-8, or returns null when it is not valid UTF-8. Decoding before parsing (rather than
     * handing bytes to Jackson) rules out Jackson's UTF-16/UTF-32 detection and puts every byte, those of skipped
     * members included, through the JDK's strict decoder: a body sent verbatim is then valid UTF-8, as RFC 8259
     * requires.
     */
    private static String strictUtf8(Buffer body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body.getBytes()))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }

    /** The interesting members of a body that is exactly one JSON object, or null for anything else. */
    private static Members read(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Members members = new Members();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                members.put(name, value == JsonToken.VALUE_STRING ? parser.getText() : null);
                parser.skipChildren();
            }
            // The loop ends on END_OBJECT (anything else throws); one more token means a second root value.
            return parser.nextToken() == null ? members : null;
        } catch (IOException | RuntimeException malformed) {
            return null;
        }
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }

    /**
     * What {@link #read} keeps of an object: the string values of the four envelope members (null when missing or not
     * a string; the last one wins when a name repeats, as in most JSON parsers) and how many members it had.
     */
    private static final class Members {
        private String status;
        private String errorCode;
        private String errorDesc;
        private String errorMessage;
        private int count;

        void put(String name, String stringValue) {
            count++;
            switch (name) {
                case "status" -> status = stringValue;
                case "errorCode" -> errorCode = stringValue;
                case "errorDesc" -> errorDesc = stringValue;
                case "errorMessage" -> errorMessage = stringValue;
                default -> {
                    // Any other member is dropped: it is neither copied nor even kept.
                }
            }
        }

        boolean isEnvelope() {
            return errorCode != null || errorDesc != null || errorMessage != null;
        }

        /** Four members and four distinct names set: each name appeared once, so nothing else and no repeat. */
        boolean isExactlyTheFour() {
            return count == 4 && status != null && errorCode != null && errorDesc != null && errorMessage != null;
        }
    }
}
