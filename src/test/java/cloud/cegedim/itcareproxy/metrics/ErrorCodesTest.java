package cloud.cegedim.itcareproxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The error_code label: codes pass, data and garbage do not, and the number of distinct codes is bounded. */
class ErrorCodesTest {

    @Test
    void theProxysAndItcaresCodesPassAsTheyAre() {
        ErrorCodes codes = new ErrorCodes();

        assertThat(codes.label("CIRCUIT_OPEN")).isEqualTo("CIRCUIT_OPEN");
        assertThat(codes.label("HTTP_599")).isEqualTo("HTTP_599");
        assertThat(codes.label("ERR-1001")).isEqualTo("ERR-1001");
        assertThat(codes.label("compute.instance.notFound")).isEqualTo("compute.instance.notFound");
    }

    @Test
    void aKnownCodeIsHandedOutAsTheOneSharedInstance() {
        ErrorCodes codes = new ErrorCodes();
        String first = codes.label(new String("NOT_FOUND"));

        assertThat(codes.label(new String("NOT_FOUND"))).isSameAs(first);
    }

    @Test
    void aCodeWithAnIdOrAnythingButCodeCharactersIsOther() {
        ErrorCodes codes = new ErrorCodes();

        assertThat(codes.label("NOT_FOUND_12345")).isEqualTo("other");
        assertThat(codes.label("instance 42 not found")).isEqualTo("other");
        assertThat(codes.label("Bearer=abc/def")).isEqualTo("other");
        assertThat(codes.label("")).isEqualTo("other");
        assertThat(codes.label("A".repeat(ErrorCodes.MAX_LENGTH + 1))).isEqualTo("other");
        assertThat(codes.label("A".repeat(ErrorCodes.MAX_LENGTH))).isEqualTo("A".repeat(ErrorCodes.MAX_LENGTH));
    }

    @Test
    void pastTheBoundEveryNewCodeIsOtherAndTheKnownOnesStay() {
        ErrorCodes codes = new ErrorCodes(3);
        codes.label("A");
        codes.label("B");
        codes.label("C");

        assertThat(codes.label("D")).isEqualTo("other");
        assertThat(codes.label("B")).isEqualTo("B");
        assertThat(codes.label("other")).isEqualTo("other");
    }
}
