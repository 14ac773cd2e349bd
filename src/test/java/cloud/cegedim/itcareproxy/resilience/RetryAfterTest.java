package cloud.cegedim.itcareproxy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RetryAfterTest {

    /** A Tuesday. */
    private static final Instant NOW = Instant.parse("2025-11-25T16:00:00Z");

    @Test
    void deltaSecondsAreTheWait() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("1", NOW)).contains(Duration.ofSeconds(1));
        assertThat(RetryAfter.parse("0", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("007", NOW)).contains(Duration.ofSeconds(7));
    }

    @Test
    void surroundingSpacesAndTabsAreIgnored() {
        assertThat(RetryAfter.parse(" 5 ", NOW)).contains(Duration.ofSeconds(5));
        assertThat(RetryAfter.parse("\t7\t", NOW)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse("  Tue, 25 Nov 2025 16:00:30 GMT ", NOW)).contains(Duration.ofSeconds(30));
    }

    @Test
    void deltaSecondsTooLargeForALongMeanAsLongAsPossible() {
        assertThat(RetryAfter.parse("99999999999999999999999", NOW)).contains(Duration.ofSeconds(Long.MAX_VALUE));
        assertThat(RetryAfter.parse("9223372036854775807", NOW)).contains(Duration.ofSeconds(Long.MAX_VALUE));
    }

    @Test
    void negativeFractionalSignedOrSplitNumbersAreIgnored() {
        assertThat(RetryAfter.parse("-1", NOW)).isEmpty();
        assertThat(RetryAfter.parse("+5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("5 0", NOW)).isEmpty();
        assertThat(RetryAfter.parse("5s", NOW)).isEmpty();
    }

    @Test
    void missingEmptyOrBlankValuesAreIgnored() {
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse("   ", NOW)).isEmpty();
        assertThat(RetryAfter.parse("\t", NOW)).isEmpty();
    }

    @Test
    void garbageIsIgnored() {
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("Tue, 32 Nov 2025 16:00:30 GMT", NOW)).isEmpty();
        assertThat(RetryAfter.parse("Tue, 25 Nov 2025 16:00:30 UTC", NOW)).isEmpty();
        assertThat(RetryAfter.parse("tue, 25 nov 2025 16:00:30 GMT", NOW)).isEmpty();
        assertThat(RetryAfter.parse("Tue, 25 Nov 2025 16:00:30", NOW)).isEmpty();
        assertThat(RetryAfter.parse("2025-11-25T16:00:30Z", NOW)).isEmpty();
        assertThat(RetryAfter.parse("Tue, 25 Nov 2025 25:00:30 GMT", NOW)).isEmpty();
    }

    @Test
    void aFutureImfFixdateIsTheTimeUntilIt() {
        assertThat(RetryAfter.parse("Tue, 25 Nov 2025 16:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Wed, 26 Nov 2025 16:00:00 GMT", NOW)).contains(Duration.ofDays(1));
    }

    @Test
    void theWaitUntilADateCountsFromTheExactNow() {
        Instant aQuarterPast = NOW.plusMillis(250);

        assertThat(RetryAfter.parse("Tue, 25 Nov 2025 16:00:30 GMT", aQuarterPast)).contains(Duration.ofMillis(29_750));
    }

    @Test
    void aPastOrPresentDateMeansNoWait() {
        assertThat(RetryAfter.parse("Tue, 25 Nov 2025 15:59:59 GMT", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("Tue, 25 Nov 2025 16:00:00 GMT", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void aWrongDayNameDoesNotHideTheDate() {
        assertThat(RetryAfter.parse("Mon, 25 Nov 2025 16:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Foo, 25 Nov 2025 16:00:30 GMT", NOW)).isEmpty();
    }

    @Test
    void theObsoleteRfc850FormIsRead() {
        assertThat(RetryAfter.parse("Tuesday, 25-Nov-25 16:01:00 GMT", NOW)).contains(Duration.ofMinutes(1));
    }

    @Test
    void anRfc850YearMoreThanFiftyYearsAheadIsInThePast() {
        assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.rfc850Year(94, 2025)).isEqualTo(1994);
        assertThat(RetryAfter.rfc850Year(25, 2025)).isEqualTo(2025);
        assertThat(RetryAfter.rfc850Year(75, 2025)).isEqualTo(2075);
        assertThat(RetryAfter.rfc850Year(76, 2025)).isEqualTo(1976);
        assertThat(RetryAfter.rfc850Year(5, 2099)).isEqualTo(2105);
    }

    @Test
    void theObsoleteAsctimeFormIsRead() {
        assertThat(RetryAfter.parse("Tue Nov 25 16:00:10 2025", NOW)).contains(Duration.ofSeconds(10));
        assertThat(RetryAfter.parse("Sun Nov  6 08:49:37 1994", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("Sat Dec  6 16:00:00 2025", NOW)).contains(Duration.ofDays(11));
    }
}
