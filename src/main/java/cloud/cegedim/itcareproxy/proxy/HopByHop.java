package cloud.cegedim.itcareproxy.proxy;

import java.util.Map;

import io.vertx.core.MultiMap;

/**
 * The header rules of RFC 9110 section 7.6.1, applied both ways: hop-by-hop fields, and every field that
 * {@code Connection} names, stay on their own hop. Everything else is copied untouched, in order.
 * <p>
 * The fixed names are matched without allocating (length switch, then a case-insensitive compare); only a message that
 * carries {@code Connection} pays for parsing its tokens.
 */
public final class HopByHop {

    private HopByHop() {
    }

    /** Whether this field never crosses the proxy, whatever {@code Connection} says. */
    public static boolean isHopByHop(String name) {
        switch (name.length()) {
            case 2:
                return name.equalsIgnoreCase("te");
            case 7:
                return name.equalsIgnoreCase("upgrade") || name.equalsIgnoreCase("trailer");
            case 10:
                return name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 16:
                return name.equalsIgnoreCase("proxy-connection");
            case 17:
                return name.equalsIgnoreCase("transfer-encoding");
            case 18:
                return name.equalsIgnoreCase("proxy-authenticate");
            case 19:
                return name.equalsIgnoreCase("proxy-authorization");
            default:
                return false;
        }
    }

    /**
     * Copies the end-to-end fields of {@code from} into {@code to}, skipping hop-by-hop ones, those named by
     * {@code Connection}, and those for which {@code skip} answers true (the caller's own rules).
     */
    public static void copyEndToEnd(MultiMap from, MultiMap to, NameFilter skip) {
        String connection = from.get("connection");
        for (Map.Entry<String, String> header : from) {
            String name = header.getKey();
            if (isHopByHop(name) || skip.test(name) || (connection != null && namedBy(connection, name))) {
                continue;
            }
            to.add(name, header.getValue());
        }
    }

    /** Whether the comma-separated token list of a {@code Connection} value names this field. */
    static boolean namedBy(String connection, String name) {
        int length = connection.length();
        int start = 0;
        while (start < length) {
            int end = connection.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            int from = start;
            int to = end;
            while (from < to && connection.charAt(from) <= ' ') {
                from++;
            }
            while (to > from && connection.charAt(to - 1) <= ' ') {
                to--;
            }
            if (to - from == name.length() && connection.regionMatches(true, from, name, 0, name.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** A check on a field name; implementations must not allocate. */
    @FunctionalInterface
    public interface NameFilter {
        NameFilter NONE = name -> false;

        boolean test(String name);
    }
}
