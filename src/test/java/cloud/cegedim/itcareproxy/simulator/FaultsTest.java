package cloud.cegedim.itcareproxy.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class FaultsTest {

    private final MovableClock clock = new MovableClock();
    private final Dice dice = new Dice();
    private final Faults faults = new Faults(clock, dice);

    /** Rolls exactly the values a test loads, and fails the test if it rolls more. */
    static final class Dice implements RandomGenerator {

        private final Deque<Double> rolls = new ArrayDeque<>();

        Dice load(double... values) {
            for (double value : values) {
                rolls.add(value);
            }
            return this;
        }

        @Override
        public double nextDouble() {
            if (rolls.isEmpty()) {
                throw new AssertionError("the dice were rolled once more than the test expected");
            }
            return rolls.poll();
        }

        @Override
        public long nextLong() {
            throw new AssertionError("faults roll doubles only");
        }
    }

    private static ObjectNode spec(String json) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aFaultHitsWhenTheRollIsBelowItsRate() {
        Fault fault = faults.add(spec("{\"area\":\"compute\",\"status\":503,\"rate\":0.5}"));
        dice.load(0.49, 0.5);

        assertThat(faults.pick("compute")).contains(fault);
        assertThat(faults.pick("compute")).isEmpty();
    }

    @Test
    void aRateOfOneAlwaysHitsAndAZeroRateNever() {
        faults.add(spec("{\"area\":\"compute\",\"status\":500,\"rate\":0}"));
        Fault always = faults.add(spec("{\"area\":\"compute\",\"status\":503,\"rate\":1.0}"));
        dice.load(0.0, 0.999_999);

        assertThat(faults.pick("compute")).contains(always);
    }

    @Test
    void aFaultCoversOnlyItsAreaUnlessItIsStar() {
        Fault compute = faults.add(spec("{\"area\":\"compute\",\"status\":503}"));
        dice.load(0.1, 0.1);

        assertThat(faults.pick("networking")).isEmpty();
        assertThat(faults.pick("compute")).contains(compute);

        faults.clear();
        Fault everywhere = faults.add(spec("{\"area\":\"*\",\"status\":500}"));
        assertThat(faults.pick("networking")).contains(everywhere);
    }

    @Test
    void theOldestCoveringFaultThatHitsWins() {
        faults.add(spec("{\"area\":\"compute\",\"status\":500,\"rate\":0.5}"));
        Fault second = faults.add(spec("{\"area\":\"*\",\"status\":503,\"rate\":0.5}"));
        dice.load(0.7, 0.2);

        assertThat(faults.pick("compute")).contains(second);
    }

    @Test
    void aFaultExpiresAfterItsDurationOnTheClock() {
        Fault fault = faults.add(spec("{\"area\":\"compute\",\"status\":503,\"durationSeconds\":60}"));
        dice.load(0.0);

        clock.advance(Duration.ofMillis(59_999));
        assertThat(faults.active()).containsExactly(fault);
        assertThat(faults.pick("compute")).contains(fault);

        clock.advance(Duration.ofMillis(1));
        assertThat(faults.active()).isEmpty();
        assertThat(faults.pick("compute")).isEmpty();
    }

    @Test
    void aFaultGetsItsDefaultsAndRendersThemAll() {
        Fault fault = faults.add(spec("{\"status\":503}"));

        assertThat(fault.toJson().toString()).isEqualTo("{\"id\":1,\"area\":\"*\",\"status\":503,\"rate\":1.0,"
                + "\"latencyMs\":0,\"body\":\"envelope\",\"retryAfter\":null,\"reset\":false,\"durationSeconds\":60,"
                + "\"createdAt\":\"2025-07-06T11:01:21.263Z\",\"expiresAt\":\"2025-07-06T11:02:21.263Z\"}");
    }

    @Test
    void aLatencyOnlyFaultHasNoStatus() {
        Fault fault = faults.add(spec("{\"area\":\"actions\",\"latencyMs\":250,\"body\":\"html\"}"));

        assertThat(fault.status()).isNull();
        assertThat(fault.toJson().get("status").isNull()).isTrue();
        assertThat(fault.body()).isEqualTo(Fault.Body.HTML);
    }

    @Test
    void removesOneFaultById() {
        Fault first = faults.add(spec("{\"status\":500}"));
        Fault second = faults.add(spec("{\"status\":503}"));

        assertThat(faults.remove(first.id())).isTrue();
        assertThat(faults.remove(first.id())).isFalse();
        assertThat(faults.active()).containsExactly(second);
    }

    @ParameterizedTest(name = "{0} is refused on {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"status\":503,\"latency\":100}            | latency",
            "{\"status\":503,\"rate\":1.5}               | rate",
            "{\"status\":503,\"rate\":\"half\"}          | rate",
            "{\"status\":700}                            | status",
            "{\"status\":503,\"body\":\"xml\"}           | body",
            "{\"area\":\"Compute!\",\"status\":503}      | area",
            "{\"status\":503,\"durationSeconds\":0}      | durationSeconds",
            "{\"status\":503,\"latencyMs\":-1}           | latencyMs",
            "{\"status\":503,\"reset\":\"yes\"}          | reset",
            "{\"status\":503,\"retryAfter\":\" \"}       | retryAfter",
            "{\"area\":\"compute\"}                      | status" })
    void refusesAFaultThatCannotBeMeant(String json, String field) {
        assertThatThrownBy(() -> faults.add(spec(json)))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.toJson().get("errorCode").asText()).isEqualTo("INVALID_FIELD_VALUE");
                    assertThat(e.toJson().get("errorDesc").asText()).isEqualTo(field);
                });
        assertThat(faults.active()).isEmpty();
    }
}
