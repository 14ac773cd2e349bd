package cloud.cegedim.itcareproxy.errors;

/**
 * Names and meanings of HTTP statuses, as ITCare spells them in its error envelope.
 *
 * <p>ITCare is a Spring application: its {@code status} member is the Spring {@code HttpStatus} enum name
 * ({@code NOT_FOUND}, {@code UNPROCESSABLE_ENTITY}). The proxy must produce the same names so that a client cannot tell
 * a proxy envelope from an ITCare one by its {@code status}. Spring itself is not a dependency, hence this table.
 *
 * <p>Both lookups run on the error path of every failed request, so they are answered from two arrays filled once at
 * class initialisation: no map, no boxing, no string building for any status from 0 to 599.
 */
public final class HttpStatuses {

    /** Statuses below this bound are answered from the tables; others are computed (never seen in practice). */
    private static final int TABLE_SIZE = 600;

    private static final String[] NAMES = new String[TABLE_SIZE];
    private static final String[] MEANINGS = new String[TABLE_SIZE];

    static {
        for (int status = 0; status < TABLE_SIZE; status++) {
            NAMES[status] = "HTTP_" + status;
            MEANINGS[status] = seriesMeaning(status);
        }
        put(100, "CONTINUE", "Continue");
        put(101, "SWITCHING_PROTOCOLS", "Switching Protocols");
        put(102, "PROCESSING", "Processing");
        put(103, "EARLY_HINTS", "Early Hints");
        put(200, "OK", "OK");
        put(201, "CREATED", "Created");
        put(202, "ACCEPTED", "Accepted");
        put(203, "NON_AUTHORITATIVE_INFORMATION", "Non-Authoritative Information");
        put(204, "NO_CONTENT", "No Content");
        put(205, "RESET_CONTENT", "Reset Content");
        put(206, "PARTIAL_CONTENT", "Partial Content");
        put(207, "MULTI_STATUS", "Multi-Status");
        put(208, "ALREADY_REPORTED", "Already Reported");
        put(226, "IM_USED", "IM Used");
        put(300, "MULTIPLE_CHOICES", "Multiple Choices");
        put(301, "MOVED_PERMANENTLY", "Moved Permanently");
        put(302, "FOUND", "Found");
        put(303, "SEE_OTHER", "See Other");
        put(304, "NOT_MODIFIED", "Not Modified");
        put(307, "TEMPORARY_REDIRECT", "Temporary Redirect");
        put(308, "PERMANENT_REDIRECT", "Permanent Redirect");
        put(400, "BAD_REQUEST", "Bad query: syntax or consistency error");
        put(401, "UNAUTHORIZED", "Unauthenticated");
        put(402, "PAYMENT_REQUIRED", "Payment Required");
        put(403, "FORBIDDEN", "Unauthorized");
        put(404, "NOT_FOUND", "Non-existent resource");
        put(405, "METHOD_NOT_ALLOWED", "Method Not Allowed");
        put(406, "NOT_ACCEPTABLE", "Not Acceptable");
        put(407, "PROXY_AUTHENTICATION_REQUIRED", "Proxy Authentication Required");
        put(408, "REQUEST_TIMEOUT", "Request Timeout");
        put(409, "CONFLICT", "Conflict");
        put(410, "GONE", "Gone");
        put(411, "LENGTH_REQUIRED", "Length Required");
        put(412, "PRECONDITION_FAILED", "Precondition Failed");
        put(413, "PAYLOAD_TOO_LARGE", "Payload Too Large");
        put(414, "URI_TOO_LONG", "URI Too Long");
        put(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type");
        put(416, "REQUESTED_RANGE_NOT_SATISFIABLE", "Requested Range Not Satisfiable");
        put(417, "EXPECTATION_FAILED", "Expectation Failed");
        put(418, "I_AM_A_TEAPOT", "I'm a teapot");
        put(422, "UNPROCESSABLE_ENTITY", "Inconsistent data");
        put(423, "LOCKED", "Locked");
        put(424, "FAILED_DEPENDENCY", "Failed Dependency");
        put(425, "TOO_EARLY", "Too Early");
        put(426, "UPGRADE_REQUIRED", "Upgrade Required");
        put(428, "PRECONDITION_REQUIRED", "Precondition Required");
        put(429, "TOO_MANY_REQUESTS", "Too Many Requests");
        put(431, "REQUEST_HEADER_FIELDS_TOO_LARGE", "Request Header Fields Too Large");
        put(451, "UNAVAILABLE_FOR_LEGAL_REASONS", "Unavailable For Legal Reasons");
        put(500, "INTERNAL_SERVER_ERROR", "Fatal API error");
        put(501, "NOT_IMPLEMENTED", "Not Implemented");
        put(502, "BAD_GATEWAY", "Bad Gateway");
        put(503, "SERVICE_UNAVAILABLE", "Service temporarily unavailable");
        put(504, "GATEWAY_TIMEOUT", "Gateway Timeout");
        put(505, "HTTP_VERSION_NOT_SUPPORTED", "HTTP Version Not Supported");
        put(506, "VARIANT_ALSO_NEGOTIATES", "Variant Also Negotiates");
        put(507, "INSUFFICIENT_STORAGE", "Insufficient Storage");
        put(508, "LOOP_DETECTED", "Loop Detected");
        put(509, "BANDWIDTH_LIMIT_EXCEEDED", "Bandwidth Limit Exceeded");
        put(510, "NOT_EXTENDED", "Not Extended");
        put(511, "NETWORK_AUTHENTICATION_REQUIRED", "Network Authentication Required");
    }

    private HttpStatuses() {
    }

    /**
     * The Spring {@code HttpStatus} name of {@code status} ({@code 404 -> "NOT_FOUND"}), or {@code "HTTP_" + status}
     * when Spring has no name for it ({@code 599 -> "HTTP_599"}), so that the envelope's {@code status} is never empty
     * and always says which status line it belongs to.
     */
    public static String name(int status) {
        return inTable(status) ? NAMES[status] : "HTTP_" + status;
    }

    /**
     * The human meaning of {@code status}, used as the default {@code errorMessage}: ITCare's documented meaning where
     * its documentation gives one (400, 401, 403, 404, 409, 422, 500, 503; note that ITCare calls 401 "Unauthenticated"
     * and 403 "Unauthorized"), the standard reason phrase otherwise, and for a status without a reason phrase the name
     * of its class ("Client error", "Server error").
     */
    public static String meaning(int status) {
        return inTable(status) ? MEANINGS[status] : "Unknown status";
    }

    private static boolean inTable(int status) {
        return status >= 0 && status < TABLE_SIZE;
    }

    private static void put(int status, String name, String meaning) {
        NAMES[status] = name;
        MEANINGS[status] = meaning;
    }

    private static String seriesMeaning(int status) {
        return switch (status / 100) {
            case 1 -> "Informational";
            case 2 -> "Success";
            case 3 -> "Redirection";
            case 4 -> "Client error";
            case 5 -> "Server error";
            default -> "Unknown status";
        };
    }
}
