package cloud.cegedim.itcareproxy.proxy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code X-Request-Id}: a client's own id is kept when it is sane (it ends up in logs and upstream headers, so it must
 * be short printable ASCII of the usual id alphabet); otherwise a random 128-bit hex id is made. Not
 * {@code UUID.randomUUID()}: its SecureRandom would be a lock on every request.
 */
public final class RequestIds {

    static final int MAX_LENGTH = 128;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    public static String keepOrCreate(String offered) {
        return offered != null && isSane(offered) ? offered : create();
    }

    static boolean isSane(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == ':' || c == '/' || c == '+' || c == '=';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String create() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[32];
        fill(out, 0, random.nextLong());
        fill(out, 16, random.nextLong());
        return new String(out);
    }

    private static void fill(char[] out, int offset, long bits) {
        for (int i = 15; i >= 0; i--) {
            out[offset + i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
    }
}
