package cloud.cegedim.itcareproxy.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns a request path into a label that is safe to put in a metric or a breaker key: ids and other data-like segments
 * are templated, and the number of distinct templates is bounded ({@code metrics.max-routes}); past the bound every new
 * shape is {@code other}. No raw id, query string or header value can ever become a label.
 */
public final class RouteTemplates {

    public static final String OTHER = "other";

    /** The API areas of ITCare (first path segment); any other first segment is area {@code other}. */
    public static final Set<String> KNOWN_AREAS = Set.of("compute", "databases", "messaging", "networking", "storage",
            "actions", "changes", "hardwares", "topology", "analytics", "health");

    private static final int MAX_WORD = 40;

    private final int maxRoutes;
    private final Set<String> areas;
    private final ConcurrentHashMap<String, String> routes = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();

    public RouteTemplates(int maxRoutes, Set<String> extraAreas) {
        this.maxRoutes = maxRoutes;
        this.areas = extraAreas.isEmpty() ? KNOWN_AREAS : union(extraAreas);
    }

    /** The bounded route label of a path (query excluded): a known template, a new one while room is left, or other. */
    public String route(String path) {
        String template = template(path);
        String known = routes.get(template);
        if (known != null) {
            return known;
        }
        // Reserve a place before publishing, so that no label is ever handed out and then withdrawn.
        if (size.incrementAndGet() > maxRoutes) {
            size.decrementAndGet();
            return OTHER;
        }
        String raced = routes.putIfAbsent(template, template);
        if (raced != null) {
            size.decrementAndGet();
            return raced;
        }
        return template;
    }

    /** The area of a path: its first segment when it is an ITCare area (or a configured one), else {@code other}. */
    public String area(String path) {
        int start = path.startsWith("/") ? 1 : 0;
        int end = start;
        while (end < path.length() && path.charAt(end) != '/' && path.charAt(end) != '?') {
            end++;
        }
        String first = path.substring(start, end);
        return areas.contains(first) ? first : OTHER;
    }

    public int size() {
        return size.get();
    }

    /**
     * The unbounded template of a path: digits-only segments become {@code {id}}, UUIDs {@code {uuid}}, and any segment
     * that is not a plain word of letters, '-' and '_' (at most 40) becomes {@code {param}}.
     */
    public static String template(String path) {
        int query = path.indexOf('?');
        int end = query < 0 ? path.length() : query;
        StringBuilder out = new StringBuilder(end + 8);
        int start = 0;
        while (start <= end) {
            int slash = path.indexOf('/', start);
            int segmentEnd = slash < 0 || slash > end ? end : slash;
            appendSegment(out, path, start, segmentEnd);
            if (segmentEnd < end) {
                out.append('/');
            }
            start = segmentEnd + 1;
        }
        return out.toString();
    }

    private static void appendSegment(StringBuilder out, String path, int from, int to) {
        int length = to - from;
        if (length == 0) {
            return;
        }
        if (isDigits(path, from, to)) {
            out.append("{id}");
        } else if (isUuid(path, from, to)) {
            out.append("{uuid}");
        } else if (length <= MAX_WORD && isWord(path, from, to)) {
            out.append(path, from, to);
        } else {
            out.append("{param}");
        }
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isWord(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUuid(String s, int from, int to) {
        if (to - from != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(from + i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> union(Set<String> extra) {
        var all = new java.util.HashSet<>(KNOWN_AREAS);
        all.addAll(extra);
        return Set.copyOf(all);
    }
}
