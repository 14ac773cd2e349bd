package cloud.cegedim.itcareproxy.errors;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import io.vertx.core.buffer.Buffer;

/**
 * The one place where an {@link Envelope} becomes a response body, in the representation the client asked for.
 *
 * <p>ITCare clients expect the envelope as {@code application/json}, and that stays the answer unless a client
 * explicitly prefers {@code application/problem+json}: then it gets the same error as RFC 9457 problem details, with
 * {@code errorCode} and {@code errorDesc} as extension members so that nothing of the envelope is lost. A client that
 * says nothing, or only {@code *}{@code /*}, gets the envelope: the problem format is opt-in, never a surprise.
 *
 * <p>Both methods run only on the error path, which is why plain string splitting is good enough here.
 */
public final class ErrorBodies {

    /** The content type of the envelope. */
    public static final String JSON = "application/json";

    /** The content type of RFC 9457 problem details. */
    public static final String PROBLEM_JSON = "application/problem+json";

    /** Prefix of the problem {@code type} URI; the error code completes it. */
    static final String TYPE_PREFIX = "urn:itcare-proxy:error:";

    private static final int Q_MAX = 1000;
    private static final int INVALID = -1;
    private static final int EXACT = 3;

    /** A body ready to send, with the {@code Content-Type} it must be sent with. */
    public record Rendered(String contentType, Buffer body) {
        public Rendered {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
        }
    }

    private ErrorBodies() {
    }

    /**
     * Whether the client prefers problem details to the envelope, judging by its {@code Accept} header.
     *
     * <p>Problem details are opt-in: {@code application/problem+json} must be listed by name with a q-value above 0;
     * a wildcard never selects it. It is then compared with {@code application/json}, whose q-value comes from the most
     * specific range that matches it ({@code application/json}, else {@code application/*}, else
     * {@code *}{@code /*}, else it is not acceptable at all), as RFC 9110 section 12.5.1 says. The higher q-value wins;
     * at equal q-values the range listed first wins, except that a wildcard loses to the explicitly named problem type
     * (naming a type says more than accepting anything). Hence {@code *}{@code /*} alone, or no header, keeps the
     * envelope.
     *
     * <p>A media range with a malformed q-value is ignored, which can only make the answer fall back to the envelope.
     * Type names and parameter names are case-insensitive, whitespace around them is ignored, and when a range is
     * listed twice its first listing counts.
     *
     * @param accept the {@code Accept} header, all its values joined by commas; null when absent
     */
    public static boolean prefersProblemJson(String accept) {
        if (accept == null) {
            return false;
        }
        int problemQ = INVALID;
        int problemAt = Integer.MAX_VALUE;
        int jsonQ = INVALID;
        int jsonAt = Integer.MAX_VALUE;
        int jsonSpecificity = 0;
        String[] ranges = accept.split(",");
        for (int at = 0; at < ranges.length; at++) {
            String range = ranges[at];
            int semicolon = range.indexOf(';');
            String type = (semicolon < 0 ? range : range.substring(0, semicolon)).trim();
            int q = semicolon < 0 ? Q_MAX : qOf(range.substring(semicolon + 1));
            if (q == INVALID) {
                continue;
            }
            if (type.equalsIgnoreCase(PROBLEM_JSON)) {
                if (problemQ == INVALID) {
                    problemQ = q;
                    problemAt = at;
                }
                continue;
            }
            int specificity = jsonSpecificity(type);
            if (specificity > jsonSpecificity) {
                jsonSpecificity = specificity;
                jsonQ = q;
                jsonAt = at;
            }
        }
        if (problemQ <= 0) {
            return false;
        }
        if (problemQ != jsonQ) {
            return problemQ > jsonQ;
        }
        return jsonSpecificity < EXACT || problemAt < jsonAt;
    }

    /**
     * Renders {@code envelope} as the body of a response with {@code status}.
     *
     * @param problem true for RFC 9457 problem details (see {@link #prefersProblemJson(String)}), false for the
     *                envelope
     */
    public static Rendered render(int status, Envelope envelope, boolean problem) {
        if (!problem) {
            return new Rendered(JSON, envelope.toJson());
        }
        StringBuilder json = new StringBuilder(128 + 2 * envelope.errorCode().length()
                + envelope.errorMessage().length() + 2 * envelope.errorDesc().length());
        json.append("{\"type\":");
        Envelope.quote(json, TYPE_PREFIX + uriSafe(envelope.errorCode()));
        json.append(",\"title\":");
        Envelope.quote(json, envelope.errorMessage());
        json.append(",\"status\":").append(status);
        json.append(",\"detail\":");
        Envelope.quote(json, envelope.errorDesc());
        json.append(",\"errorCode\":");
        Envelope.quote(json, envelope.errorCode());
        json.append(",\"errorDesc\":");
        Envelope.quote(json, envelope.errorDesc());
        json.append('}');
        return new Rendered(PROBLEM_JSON, Buffer.buffer(json.toString()));
    }

    /**
     * The q-value among the parameters of one media range, in thousandths: 1000 when there is none, {@link #INVALID}
     * when it does not follow RFC 9110's {@code qvalue} grammar ({@code 0}, {@code 0.5}, {@code 1.000}, …).
     */
    static int qOf(String parameters) {
        for (String parameter : parameters.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("q")) {
                return qvalue(parameter.substring(equals + 1).trim());
            }
        }
        return Q_MAX;
    }

    /** How closely a media range names {@code application/json}: 0 when it does not match it at all. */
    private static int jsonSpecificity(String type) {
        if (type.equalsIgnoreCase(JSON)) {
            return EXACT;
        }
        if (type.equalsIgnoreCase("application/*")) {
            return 2;
        }
        return type.equals("*/*") ? 1 : 0;
    }

    private static int qvalue(String text) {
        int length = text.length();
        if (length == 0 || length > 5 || (text.charAt(0) != '0' && text.charAt(0) != '1')
                || length > 1 && text.charAt(1) != '.') {
            return INVALID;
        }
        int thousandths = (text.charAt(0) - '0') * Q_MAX;
        int scale = 100;
        for (int i = 2; i < length; i++, scale /= 10) {
            char digit = text.charAt(i);
            if (digit < '0' || digit > '9') {
                return INVALID;
            }
            thousandths += (digit - '0') * scale;
        }
        return thousandths > Q_MAX ? INVALID : thousandths;
    }

    /**
     * The error code as it may appear in a URN: unreserved characters as they are, every other UTF-8 byte
     * percent-encoded. The proxy's own codes and ITCare's known ones are upper-case words and come out unchanged; an
     * unexpected upstream code must still yield a valid URI, and the exact code stays available in {@code errorCode}.
     */
    static String uriSafe(String code) {
        StringBuilder out = null;
        byte[] bytes = code.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            boolean unreserved = b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-'
                    || b == '.' || b == '_' || b == '~';
            if (unreserved && out == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(bytes.length * 3).append(code, 0, i);
            }
            if (unreserved) {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out == null ? code : out.toString();
    }
}
