package cloud.cegedim.itcareproxy.errors;

import java.util.Objects;

import io.vertx.core.buffer.Buffer;

/**
 * ITCare's error envelope, the one body shape every error response of the proxy has:
 * {@code {"status":"NOT_FOUND","errorCode":"…","errorDesc":"…","errorMessage":"…"}}.
 *
 * <p>Clients of ITCare parse these four members without null checks, so none of them may ever be null: the compact
 * constructor refuses null rather than letting a {@code "null"} or a missing member reach the wire. Whether
 * {@code status} matches the status line is the business of whoever builds the envelope ({@link ErrorNormalizer} for
 * upstream bodies, the factories here for the proxy's own errors).
 *
 * @param status       the Spring {@code HttpStatus} name of the response status, see {@link HttpStatuses#name(int)}
 * @param errorCode    a machine-readable code: an {@link ErrorCode} name, ITCare's own code, or the status name
 * @param errorDesc    the detail of this occurrence (ITCare puts the offending field here), empty when there is none
 * @param errorMessage a human sentence
 */
public record Envelope(String status, String errorCode, String errorDesc, String errorMessage) {

    public Envelope {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorDesc, "errorDesc");
        Objects.requireNonNull(errorMessage, "errorMessage");
    }

    /**
     * The envelope of an error the proxy produced itself.
     *
     * @param desc what is specific to this occurrence (which limit, which area); {@code null} means none
     */
    public static Envelope of(ErrorCode code, String desc) {
        return new Envelope(HttpStatuses.name(code.status()), code.name(), desc == null ? "" : desc, code.message());
    }

    /**
     * The envelope sent when ITCare said nothing usable about an error: the status name doubles as the code, and the
     * message is the documented meaning of the status.
     */
    public static Envelope defaults(int status) {
        String name = HttpStatuses.name(status);
        return new Envelope(name, name, "", HttpStatuses.meaning(status));
    }

    /** This envelope as compact UTF-8 JSON, members in the contract's order. */
    public Buffer toJson() {
        StringBuilder json = new StringBuilder(64 + status.length() + errorCode.length() + errorDesc.length()
                + errorMessage.length());
        json.append("{\"status\":");
        quote(json, status);
        json.append(",\"errorCode\":");
        quote(json, errorCode);
        json.append(",\"errorDesc\":");
        quote(json, errorDesc);
        json.append(",\"errorMessage\":");
        quote(json, errorMessage);
        json.append('}');
        return Buffer.buffer(json.toString());
    }

    /**
     * Appends {@code value} as a JSON string literal. Shared by every renderer of the package so that there is one
     * escaper to get right.
     *
     * <p>What must stay true: the output is valid JSON and survives UTF-8 encoding for any Java string. Hence control
     * characters are escaped (RFC 8259 requires it), and so is a surrogate that is not half of a pair: written raw it
     * would turn into {@code ?} when encoded to UTF-8, escaped it parses back to the same string. U+2028 and U+2029
     * are escaped as well, so the body can also be embedded in JavaScript.
     */
    static void quote(StringBuilder out, String value) {
        out.append('"');
        int length = value.length();
        int plainFrom = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            String escape = escapeOf(c);
            if (escape == null && Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                escape = unicodeEscape(c);
            }
            if (escape != null) {
                out.append(value, plainFrom, i).append(escape);
                plainFrom = i + 1;
            }
        }
        out.append(value, plainFrom, length).append('"');
    }

    /** The escape sequence of a character that cannot stand raw in a JSON string, or null when it can. */
    private static String escapeOf(char c) {
        switch (c) {
            case '"':
                return "\\\"";
            case '\\':
                return "\\\\";
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            case '\b':
                return "\\b";
            case '\f':
                return "\\f";
            case '\u2028':
            case '\u2029':
                return unicodeEscape(c);
            default:
                return c < 0x20 ? unicodeEscape(c) : null;
        }
    }

    private static String unicodeEscape(char c) {
        String hex = Integer.toHexString(c);
        return "\\u" + "0000".substring(hex.length()) + hex;
    }
}
