package cloud.cegedim.itcareproxy.proxy;

import cloud.cegedim.itcareproxy.errors.ErrorCode;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;

/**
 * The one place that decides whether a request may be forwarded at all. It sees the request line and headers as
 * Netty decoded them (decoder failures, oversized lines and header sections never get here) and refuses, before anything
 * is sent upstream, whatever could make the proxy talk to another host or the upstream read a different request than
 * the proxy did.
 */
public final class RequestGate {

    /** How many rounds of percent-decoding are looked through ({@code %25252e} is three). */
    private static final int DECODE_ROUNDS = 4;

    private final long maxRequestBody;

    public RequestGate(long maxRequestBody) {
        this.maxRequestBody = maxRequestBody;
    }

    /** Why a request is refused; {@code null} from {@link #check} means it may go. */
    public record Refusal(ErrorCode code, String detail) {
    }

    public Refusal check(HttpMethod method, String target, HttpVersion version, MultiMap headers) {
        if (method == HttpMethod.CONNECT) {
            return malformed("CONNECT is not forwarded");
        }
        if (target.isEmpty() || target.charAt(0) != '/') {
            return malformed("only origin-form targets (a path starting with '/') are forwarded");
        }
        String badTarget = checkTarget(target);
        if (badTarget != null) {
            return malformed(badTarget);
        }
        if (version != HttpVersion.HTTP_1_0 && headers.getAll("host").size() != 1) {
            return malformed("an HTTP/1.1 request carries exactly one Host header");
        }
        java.util.List<String> transferEncodings = headers.getAll("transfer-encoding");
        if (!transferEncodings.isEmpty()) {
            if (transferEncodings.size() > 1 || !transferEncodings.get(0).trim().equalsIgnoreCase("chunked")) {
                return malformed("Transfer-Encoding other than a single 'chunked' is refused");
            }
            if (headers.contains("content-length")) {
                return malformed("Content-Length and Transfer-Encoding together are refused");
            }
        }
        java.util.List<String> lengths = headers.getAll("content-length");
        if (!lengths.isEmpty()) {
            long length = lengths.size() == 1 ? parseLength(lengths.get(0)) : -1;
            if (length < 0) {
                return malformed("Content-Length must be one non-negative decimal number");
            }
            if (length > maxRequestBody) {
                return new Refusal(ErrorCode.REQUEST_TOO_LARGE,
                        "the body of " + length + " bytes is over the limit of " + maxRequestBody);
            }
        }
        return null;
    }

    /** A body streamed without Content-Length crossed the limit. */
    public Refusal bodyTooLarge() {
        return new Refusal(ErrorCode.REQUEST_TOO_LARGE, "the body is over the limit of " + maxRequestBody + " bytes");
    }

    public long maxRequestBody() {
        return maxRequestBody;
    }

    /**
     * Checks percent-encoding everywhere in the target, and dot-segments, backslashes and NUL in the path, looking
     * through repeated encodings. Returns the reason, or {@code null}.
     */
    static String checkTarget(String target) {
        int query = target.indexOf('?');
        int pathEnd = query < 0 ? target.length() : query;
        boolean encoded = false;
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '%') {
                if (i + 2 >= target.length() || hex(target.charAt(i + 1)) < 0 || hex(target.charAt(i + 2)) < 0) {
                    return "invalid percent-encoding in the target";
                }
                encoded |= i < pathEnd;
            } else if (c <= ' ' || c >= 0x7f) {
                return "a control, space or non-ASCII character in the target";
            } else if (c == '\\' && i < pathEnd) {
                return "a backslash in the path";
            } else if (c == '#') {
                return "a fragment in the target";
            }
        }
        String path = target.substring(0, pathEnd);
        for (int round = 0; round <= DECODE_ROUNDS; round++) {
            if (hasDotSegment(path)) {
                return "dot-segments in the path";
            }
            if (!encoded) {
                return null;
            }
            String decoded = decodeOnce(path);
            if (decoded == null) {
                return "a NUL or invalid encoding in the path";
            }
            encoded = decoded.indexOf('%') >= 0;
            path = decoded;
        }
        return "too many levels of percent-encoding in the path";
    }

    private static boolean hasDotSegment(String path) {
        int start = 0;
        int length = path.length();
        while (start <= length) {
            int end = start;
            while (end < length && path.charAt(end) != '/' && path.charAt(end) != '\\') {
                end++;
            }
            int size = end - start;
            if ((size == 1 && path.charAt(start) == '.')
                    || (size == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.')) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** One round of percent-decoding; {@code null} for NUL or an encoding that is not two hex digits. */
    private static String decodeOnce(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = hex(s.charAt(i + 1));
                int lo = hex(s.charAt(i + 2));
                if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                    return null;
                }
                out.append((char) (hi << 4 | lo));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static long parseLength(String value) {
        String v = value.trim();
        if (v.isEmpty() || v.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static Refusal malformed(String detail) {
        return new Refusal(ErrorCode.MALFORMED_REQUEST, detail);
    }
}
