package cloud.cegedim.itcareproxy.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ActionStoreTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2025-07-06T11:01:21.263Z"));
    private final ActionStore store = new ActionStore(clock, Duration.ofSeconds(3), 9_000_001L);

    private static ActionStore.Submission stopOf(long resourceId, String name) {
        return new ActionStore.Submission("DATABASE_POSTGRESQL_STOP", "Stop of PostgreSQL " + name, resourceId, name,
                "DATABASE", "POSTGRESQL", 300_118L, "req-" + name);
    }

    @Test
    void anActionIsInProgressUntilTheDurationHasPassed() {
        ActionStore.Action action = store.submit(stopOf(500061854L, "ppharmpg01"), () -> {
        });

        assertThat(action.toJson(clock.instant()).toString()).isEqualTo("{\"id\":9000001,\"status\":\"IN_PROGRESS\","
                + "\"message\":\"Stop of PostgreSQL ppharmpg01\",\"process\":\"DATABASE_POSTGRESQL_STOP\","
                + "\"resourceName\":\"ppharmpg01\",\"resourceType\":\"DATABASE\",\"family\":\"POSTGRESQL\","
                + "\"submittedAt\":\"2025-07-06T11:01:21.263Z\",\"submittedBy\":\"api-client\","
                + "\"lastUpdatedAt\":\"2025-07-06T11:01:21.263Z\"}");

        clock.advance(Duration.ofMillis(2999));
        assertThat(store.find(9_000_001L).orElseThrow().status(clock.instant())).isEqualTo("IN_PROGRESS");
    }

    @Test
    void anActionSucceedsExactlyWhenTheDurationHasPassed() {
        store.submit(stopOf(500061854L, "ppharmpg01"), () -> {
        });

        clock.advance(Duration.ofSeconds(3));

        assertThat(store.find(9_000_001L).orElseThrow().toJson(clock.instant()).toString()).isEqualTo(
                "{\"id\":9000001,\"status\":\"SUCCESS\",\"message\":\"Stop of PostgreSQL ppharmpg01\","
                        + "\"process\":\"DATABASE_POSTGRESQL_STOP\",\"resourceName\":\"ppharmpg01\","
                        + "\"resourceType\":\"DATABASE\",\"family\":\"POSTGRESQL\","
                        + "\"submittedAt\":\"2025-07-06T11:01:21.263Z\",\"submittedBy\":\"api-client\","
                        + "\"lastUpdatedAt\":\"2025-07-06T11:01:24.263Z\",\"completedAt\":\"2025-07-06T11:01:24.263Z\"}");
    }

    @Test
    void theEffectRunsOnceAndOnlyAfterCompletion() {
        AtomicInteger runs = new AtomicInteger();
        store.submit(stopOf(500061854L, "ppharmpg01"), runs::incrementAndGet);

        store.settle();
        clock.advance(Duration.ofMillis(2999));
        store.settle();
        assertThat(runs).hasValue(0);

        clock.advance(Duration.ofMillis(1));
        store.settle();
        store.settle();
        assertThat(runs).hasValue(1);
    }

    @Test
    void effectsRunInSubmissionOrder() {
        StringBuilder order = new StringBuilder();
        store.submit(stopOf(1L, "first"), () -> order.append("first "));
        clock.advance(Duration.ofSeconds(1));
        store.submit(stopOf(2L, "second"), () -> order.append("second"));

        clock.advance(Duration.ofSeconds(5));
        store.settle();

        assertThat(order).hasToString("first second");
    }

    @Test
    void listsTheMostRecentFirstThroughTheFilter() {
        store.history(stopOf(1L, "old"), Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMinutes(2));
        store.submit(stopOf(2L, "new"), () -> {
        });
        store.submit(stopOf(1L, "newer"), () -> {
        });

        assertThat(store.list(a -> true)).extracting(a -> a.submission().resourceName())
                .containsExactly("newer", "new", "old");
        assertThat(store.list(a -> a.submission().resourceId() == 1L)).extracting(ActionStore.Action::id)
                .containsExactly(9_000_003L, 9_000_001L);
    }

    @Test
    void aHistoricActionIsAlreadyComplete() {
        ActionStore.Action old = store.history(stopOf(1L, "old"), Instant.parse("2024-01-01T00:00:00Z"),
                Duration.ofMinutes(2));

        assertThat(old.toJson(clock.instant()).get("completedAt").asText()).isEqualTo("2024-01-01T00:02:00.000Z");
    }

    @Test
    void aZeroDurationCompletesAtOnce() {
        ActionStore instant = new ActionStore(clock, Duration.ZERO, 1L);

        assertThat(instant.submit(stopOf(1L, "x"), () -> {
        }).status(clock.instant())).isEqualTo("SUCCESS");
    }

    @Test
    void refusesANegativeDuration() {
        assertThatThrownBy(() -> new ActionStore(clock, Duration.ofSeconds(-1), 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-1S");
    }
}
