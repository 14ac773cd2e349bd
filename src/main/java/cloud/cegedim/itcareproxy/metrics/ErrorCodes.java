package cloud.cegedim.itcareproxy.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the {@code error_code} label. The proxy's own codes are a closed enum, but an upstream envelope's
 * {@code errorCode} is whatever ITCare (or something pretending to be it) wrote in a body: it must not be able to
 * create unbounded series nor carry data into a label. A code becomes a label value when it looks like a code (1 to 64
 * characters of letters, digits, '_', '-' and '.', with no run of more than 4 digits, so that an id cannot pass) and
 * while fewer than {@link #MAX_CODES} distinct codes have been seen; anything else is {@code other}.
 *
 * <p>The request path does one {@link ConcurrentHashMap} read for a known code; the check runs on a miss only.
 */
final class ErrorCodes {

    /** Distinct {@code error_code} values at most, over all routes (the proxy's own codes included). */
    static final int MAX_CODES = 100;
    static final int MAX_LENGTH = 64;
    static final int MAX_DIGIT_RUN = 4;

    private final int maxCodes;
    private final ConcurrentHashMap<String, String> known = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    ErrorCodes() {
        this(MAX_CODES);
    }

    ErrorCodes(int maxCodes) {
        this.maxCodes = maxCodes;
    }

    /** The label value of an error code: the code itself (one shared instance per code), or {@code other}. */
    String label(String code) {
        String label = known.get(code);
        if (label != null) {
            return label;
        }
        if (!looksLikeACode(code)) {
            return RouteTemplates.OTHER;
        }
        // Reserve a place before publishing, as RouteTemplates does: a label once handed out is never withdrawn.
        if (size.incrementAndGet() > maxCodes) {
            size.decrementAndGet();
            return RouteTemplates.OTHER;
        }
        String raced = known.putIfAbsent(code, code);
        if (raced != null) {
            size.decrementAndGet();
            return raced;
        }
        return code;
    }

    static boolean looksLikeACode(String code) {
        int length = code.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        int digits = 0;
        for (int i = 0; i < length; i++) {
            char c = code.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > MAX_DIGIT_RUN) {
                    return false;
                }
                continue;
            }
            digits = 0;
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '-' || c == '.';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
