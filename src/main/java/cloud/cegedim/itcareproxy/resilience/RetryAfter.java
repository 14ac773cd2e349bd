package cloud.cegedim.itcareproxy.resilience;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an upstream {@code Retry-After} (RFC 9110 section 10.2.3): either delta-seconds or an HTTP-date. The upstream
 * knows better than our back-off when it will be able to answer again, so {@link RetryPolicy} waits what it says,
 * within {@code retry.retry-after.max}.
 *
 * <p>HTTP-dates are accepted in the three forms RFC 9110 section 5.6.7 requires recipients to read: IMF-fixdate
 * ({@code Sun, 06 Nov 1994 08:49:37 GMT}) and the obsolete RFC 850 ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and
 * asctime ({@code Sun Nov  6 08:49:37 1994}) forms. The day name must be a valid one but is not cross-checked with
 * the date: a sender that got it wrong still said when. The formatters are built once; parsing shares them across
 * threads, which {@link DateTimeFormatter} allows.
 */
public final class RetryAfter {

    private static final DateTimeFormatter IMF_FIXDATE = strict("EEE, dd MMM uuuu HH:mm:ss 'GMT'");
    private static final DateTimeFormatter ASCTIME = strict("EEE MMM ppd HH:mm:ss uuuu");
    /** Two-digit years are parsed into 2000..2099 and moved to the right century by {@link #rfc850Year}. */
    private static final DateTimeFormatter RFC_850 = strict(new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 2000)
            .appendPattern(" HH:mm:ss 'GMT'"));

    private RetryAfter() {
    }

    /**
     * The wait that {@code headerValue} asks for, counted from {@code now}.
     *
     * @return the delta-seconds; or the time until the HTTP-date, {@link Duration#ZERO} when it is past; or empty for
     *         a missing, empty, negative or unreadable value. Delta-seconds too large for a {@code long} saturate to
     *         {@code Long.MAX_VALUE} seconds: the upstream asked for "very long", which must stay above any
     *         {@code retry-after.max} rather than be dropped and replaced by a short back-off.
     */
    public static Optional<Duration> parse(String headerValue, Instant now) {
        if (headerValue == null) {
            return Optional.empty();
        }
        String value = trimOws(headerValue);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (isDigit(value.charAt(0))) {
            return deltaSeconds(value);
        }
        Instant date = httpDate(value, now);
        if (date == null) {
            return Optional.empty();
        }
        return Optional.of(date.isAfter(now) ? Duration.between(now, date) : Duration.ZERO);
    }

    private static Optional<Duration> deltaSeconds(String value) {
        long seconds = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isDigit(c)) {
                return Optional.empty();
            }
            if (seconds > (Long.MAX_VALUE - 9) / 10) {
                seconds = Long.MAX_VALUE;
            } else {
                seconds = seconds * 10 + (c - '0');
            }
        }
        return Optional.of(Duration.ofSeconds(seconds));
    }

    private static Instant httpDate(String value, Instant now) {
        try {
            if (value.length() > 3 && value.charAt(3) == ',') {
                return IMF_FIXDATE.parse(value, LocalDateTime::from).toInstant(ZoneOffset.UTC);
            }
            if (value.indexOf('-') > 0) {
                LocalDateTime parsed = RFC_850.parse(value, LocalDateTime::from);
                int nowYear = now.atOffset(ZoneOffset.UTC).getYear();
                return parsed.withYear(rfc850Year(parsed.getYear() % 100, nowYear)).toInstant(ZoneOffset.UTC);
            }
            return ASCTIME.parse(value, LocalDateTime::from).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * RFC 9110: a two-digit year that appears to be more than 50 years in the future is the most recent past year with
     * the same last two digits.
     */
    static int rfc850Year(int twoDigits, int nowYear) {
        int latest = nowYear + 50;
        return latest - Math.floorMod(latest - twoDigits, 100);
    }

    private static String trimOws(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isOws(value.charAt(start))) {
            start++;
        }
        while (end > start && isOws(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static DateTimeFormatter strict(String pattern) {
        return strict(new DateTimeFormatterBuilder().appendPattern(pattern));
    }

    /** Case-sensitive English names, strict resolution, and the day name parsed but left out of resolution. */
    private static DateTimeFormatter strict(DateTimeFormatterBuilder builder) {
        return builder.toFormatter(Locale.US)
                .withResolverStyle(ResolverStyle.STRICT)
                .withResolverFields(ChronoField.YEAR, ChronoField.MONTH_OF_YEAR, ChronoField.DAY_OF_MONTH,
                        ChronoField.HOUR_OF_DAY, ChronoField.MINUTE_OF_HOUR, ChronoField.SECOND_OF_MINUTE);
    }
}
