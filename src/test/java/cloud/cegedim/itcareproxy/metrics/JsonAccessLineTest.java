package cloud.cegedim.itcareproxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.Config;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import cloud.cegedim.itcareproxy.metrics.ExchangeObserver.Completed;
import cloud.cegedim.itcareproxy.support.FakeUpstream;
import cloud.cegedim.itcareproxy.support.LogCapture;
import io.quarkus.logging.json.runtime.JsonFormatter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The access line the proxy writes itself: the very fields Quarkus's JSON console prints for the same record, exact
 * text for a fixed instant, escaping to ASCII, and when it is used rather than logging.
 */
class JsonAccessLineTest {

    private static final Completed SUCCESS = new Completed("5f0c1e", "GET", "/compute/instances/{id}", "compute", 200,
            null, null, 1, 3_201_456, 4_022_000, true);
    private static final Completed ERROR = new Completed("5f0c1f", "POST", "/compute/instances", "compute", 502,
            "UPSTREAM_UNREACHABLE", "proxy", 3, 12_000_000, 1_250_000_000, false);

    private static String render(JsonAccessLine writer, Completed exchange, Instant at, String thread) {
        StringBuilder line = new StringBuilder();
        writer.render(exchange, at, thread, new JsonAccessLine.Scratch(), line);
        return line.toString();
    }

    @Test
    void theLineIsExactlyThisForAFixedInstant() {
        JsonAccessLine writer = new JsonAccessLine("host-1", 42, Map.of("service", "itcare-proxy"),
                OutputStream.nullOutputStream());

        String line = render(writer, ERROR, Instant.parse("2026-11-26T01:00:36.000000007Z"), "vert.x-eventloop-thread-0");

        assertThat(line).isEqualTo("{\"timestamp\":\"2026-11-26T01:00:36.000000007Z\",\"loggerName\":\"itcare-proxy.access\","
                + "\"level\":\"INFO\",\"message\":\"requestId=5f0c1f method=POST route=/compute/instances status=502 "
                + "errorCode=UPSTREAM_UNREACHABLE origin=proxy attempts=3 upstreamMs=12.000 totalMs=1250.000 "
                + "completed=false\",\"threadName\":\"vert.x-eventloop-thread-0\",\"hostName\":\"host-1\",\"processId\":42,"
                + "\"service\":\"itcare-proxy\",\"mdc\":{\"requestId\":\"5f0c1f\",\"method\":\"POST\","
                + "\"route\":\"/compute/instances\",\"status\":\"502\",\"errorCode\":\"UPSTREAM_UNREACHABLE\","
                + "\"origin\":\"proxy\",\"attempts\":\"3\",\"upstreamMs\":\"12.000\",\"totalMs\":\"1250.000\","
                + "\"completed\":\"false\"}}\n");
    }

    @Test
    void itCarriesWhatQuarkussJsonConsolePrintsForTheSameRecord() {
        for (Completed exchange : List.of(SUCCESS, ERROR)) {
            ExtLogRecord record;
            try (LogCapture capture = LogCapture.of(AccessLog.CATEGORY)) {
                new AccessLog(true).completed(exchange);
                record = (ExtLogRecord) capture.records().get(0);
            }
            JsonObject console = new JsonObject(new JsonFormatter().format(record));
            JsonAccessLine writer = new JsonAccessLine(record.getHostName(), record.getProcessId(), Map.of(),
                    OutputStream.nullOutputStream());

            JsonObject direct = new JsonObject(render(writer, exchange, record.getInstant(), record.getThreadName()));

            for (String key : List.of("loggerName", "level", "message", "threadName", "hostName", "processId", "mdc")) {
                assertThat(direct.getValue(key)).as(key).isEqualTo(console.getValue(key));
            }
            assertThat(Instant.parse(direct.getString("timestamp"))).isEqualTo(record.getInstant());
        }
    }

    @Test
    void anythingAnUpstreamSendsIsEscapedToAsciiAndReadsBackTheSame() {
        String code = "bad \"name\"\n\tfield \\ é €";
        Completed odd = new Completed("r-1", "GET", "/x", "other", 400, code, "upstream", 1, 0, 0, true);
        JsonAccessLine writer = new JsonAccessLine("h\u00f6st", 1, Map.of(), OutputStream.nullOutputStream());

        String line = render(writer, odd, Instant.EPOCH, "thread \"0\"");

        assertThat(line.chars()).allMatch(c -> c >= 0x20 && c < 0x7f || c == '\n');
        assertThat(line).endsWith("}}\n").containsOnlyOnce("\n");
        JsonObject json = new JsonObject(line);
        assertThat(json.getJsonObject("mdc").getString("errorCode")).isEqualTo(code);
        assertThat(json.getString("message")).isEqualTo(AccessLog.line(odd));
        assertThat(json.getString("hostName")).isEqualTo("h\u00f6st");
        assertThat(json.getString("threadName")).isEqualTo("thread \"0\"");
        assertThat(json.getString("timestamp")).isEqualTo("1970-01-01T00:00:00.000000000Z");
    }

    @Test
    void theSecondIsFormattedAgainWhenItChanges() {
        JsonAccessLine writer = new JsonAccessLine("h", 1, Map.of(), OutputStream.nullOutputStream());
        JsonAccessLine.Scratch scratch = new JsonAccessLine.Scratch();
        List<String> stamps = new java.util.ArrayList<>();

        for (String at : List.of("2026-12-31T23:59:59.999999999Z", "2027-01-01T00:00:00.000000001Z",
                "2027-01-01T00:00:00.5Z")) {
            StringBuilder line = new StringBuilder();
            writer.render(SUCCESS, Instant.parse(at), "t", scratch, line);
            stamps.add(new JsonObject(line.toString()).getString("timestamp"));
        }

        assertThat(stamps).containsExactly("2026-12-31T23:59:59.999999999Z", "2027-01-01T00:00:00.000000001Z",
                "2027-01-01T00:00:00.500000000Z");
    }

    private static Config config(String... keyValues) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }

    @Test
    void onlyAJsonConsoleInItsDefaultShapeIsWrittenDirectly() {
        assertThat(AccessLog.writesPlainJsonConsole(config())).isTrue();
        assertThat(AccessLog.writesPlainJsonConsole(config("quarkus.log.console.json.enabled", "true",
                "quarkus.log.console.json.date-format", "default", "quarkus.log.console.json.pretty-print", "false")))
                .isTrue();

        assertThat(AccessLog.writesPlainJsonConsole(config("quarkus.log.console.json.enabled", "false"))).isFalse();
        assertThat(AccessLog.writesPlainJsonConsole(config("quarkus.log.console.json", "false"))).isFalse();
        assertThat(AccessLog.writesPlainJsonConsole(config("quarkus.log.console.enabled", "false"))).isFalse();
        assertThat(AccessLog.writesPlainJsonConsole(config("quarkus.log.console.json.log-format", "ecs"))).isFalse();
        assertThat(AccessLog.writesPlainJsonConsole(config("quarkus.log.console.json.excluded-keys", "hostName")))
                .isFalse();
        assertThat(AccessLog.writesPlainJsonConsole(config("quarkus.log.console.json.date-format", "yyyy-MM-dd")))
                .isFalse();
        assertThat(AccessLog.writesPlainJsonConsole(config("quarkus.log.console.json.key-overrides",
                "timestamp=@timestamp"))).isFalse();
    }

    @Test
    void additionalFieldsAreReadByName() {
        Config config = config("quarkus.log.console.json.additional-field.\"service.name\".value", "itcare-proxy",
                "quarkus.log.console.json.additional-field.team.value", "cloud",
                "quarkus.log.console.json.additional-field.team.type", "string");

        assertThat(AccessLog.additionalFields(config)).containsExactly(Map.entry("service.name", "itcare-proxy"),
                Map.entry("team", "cloud"));
    }

    @Test
    void offAnEventLoopEachLineIsWrittenWholeInOneCallByteForCharEvenPastTheReusedBuffersSize() {
        List<byte[]> writes = new ArrayList<>();
        JsonAccessLine writer = new JsonAccessLine("h", 1, Map.of(), recording(writes));
        Completed longOne = new Completed("r-2", "GET", "/x/" + "y".repeat(5000), "other", 502, "\u00e9".repeat(200),
                "upstream", 1, 0, 0, true);

        writer.write(SUCCESS, Instant.EPOCH);
        writer.write(longOne, Instant.EPOCH);
        writer.write(SUCCESS, Instant.EPOCH);

        assertThat(writes).hasSize(3);
        String thread = Thread.currentThread().getName();
        assertThat(new String(writes.get(1), StandardCharsets.US_ASCII))
                .isEqualTo(render(writer, longOne, Instant.EPOCH, thread)).hasSizeGreaterThan(JsonAccessLine.MAX_WRITE);
        assertThat(writes.get(2)).isEqualTo(writes.get(0));
        assertThat(new String(writes.get(0), StandardCharsets.US_ASCII))
                .isEqualTo(render(writer, SUCCESS, Instant.EPOCH, thread));
    }

    @Test
    void onAnEventLoopTheLinesOfSeveralTurnsWaitForTheLoopsNextWriteWhichCarriesThemAll() throws Exception {
        List<byte[]> writes = Collections.synchronizedList(new ArrayList<>());
        // The scheduled write is a minute away: only flushAll writes here.
        JsonAccessLine writer = new JsonAccessLine("h", 1, Map.of(), recording(writes), 60_000);
        onAVertxContext(context -> {
            String thread = inOneTurn(context, () -> writer.write(SUCCESS, Instant.EPOCH));
            inOneTurn(context, () -> writer.write(ERROR, Instant.EPOCH));
            inOneTurn(context, () -> writer.write(SUCCESS, Instant.EPOCH));
            inOneTurn(context, () -> {
            });
            assertThat(writes).isEmpty();

            writer.flushAll();

            assertThat(writes).hasSize(1);
            assertThat(new String(writes.get(0), StandardCharsets.US_ASCII))
                    .isEqualTo(render(writer, SUCCESS, Instant.EPOCH, thread)
                            + render(writer, ERROR, Instant.EPOCH, thread)
                            + render(writer, SUCCESS, Instant.EPOCH, thread));
            writer.flushAll();
            assertThat(writes).hasSize(1);
        });
    }

    @Test
    void theLoopWritesWhatIsPendingOnceTheDelayHasPassedAndAgainForTheNextLines() throws Exception {
        List<byte[]> writes = Collections.synchronizedList(new ArrayList<>());
        JsonAccessLine writer = new JsonAccessLine("h", 1, Map.of(), recording(writes), 30);
        onAVertxContext(context -> {
            String thread = inOneTurn(context, () -> {
                writer.write(ERROR, Instant.EPOCH);
                writer.write(SUCCESS, Instant.EPOCH);
            });
            awaitWrites(writes, 1);
            assertThat(new String(writes.get(0), StandardCharsets.US_ASCII))
                    .isEqualTo(render(writer, ERROR, Instant.EPOCH, thread) + render(writer, SUCCESS, Instant.EPOCH, thread));

            context.runOnContext(later -> writer.write(SUCCESS, Instant.EPOCH));
            awaitWrites(writes, 2);
            assertThat(new String(writes.get(1), StandardCharsets.US_ASCII))
                    .isEqualTo(render(writer, SUCCESS, Instant.EPOCH, thread));
        });
    }

    @Test
    void linesPastPipeBufGoOutAtOnceInWholeLinesOfAtMostPipeBufEachExceptALongerLine() throws Exception {
        List<byte[]> writes = Collections.synchronizedList(new ArrayList<>());
        JsonAccessLine writer = new JsonAccessLine("h", 1, Map.of(), recording(writes), 60_000);
        Completed longOne = new Completed("r-2", "GET", "/x/" + "y".repeat(5000), "other", 200, null, null, 1, 0, 0,
                true);
        List<Completed> turn = new ArrayList<>(Collections.nCopies(12, SUCCESS));
        turn.add(longOne);
        turn.add(ERROR);
        onAVertxContext(context -> {
            String thread = inOneTurn(context, () -> turn.forEach(exchange -> writer.write(exchange, Instant.EPOCH)));
            inOneTurn(context, () -> {
            });
            // Twelve short lines fill more than one write and the long one goes alone: all but the last line are out.
            assertThat(writes).hasSizeBetween(3, turn.size() - 1);
            writer.flushAll();

            StringBuilder expected = new StringBuilder();
            turn.forEach(exchange -> expected.append(render(writer, exchange, Instant.EPOCH, thread)));
            String longLine = render(writer, longOne, Instant.EPOCH, thread);
            List<String> written = writes.stream().map(bytes -> new String(bytes, StandardCharsets.US_ASCII)).toList();
            assertThat(String.join("", written)).isEqualTo(expected.toString());
            assertThat(written.get(written.size() - 1)).isEqualTo(render(writer, ERROR, Instant.EPOCH, thread));
            assertThat(written).contains(longLine).allSatisfy(write -> {
                assertThat(write).startsWith("{").endsWith("}}\n");
                if (!write.equals(longLine)) {
                    assertThat(write.length()).isLessThanOrEqualTo(JsonAccessLine.MAX_WRITE);
                }
            });
        });
    }

    @Test
    void aLoopThatHasStoppedHasItsLinesWrittenByFlushAll() throws Exception {
        List<byte[]> writes = Collections.synchronizedList(new ArrayList<>());
        JsonAccessLine writer = new JsonAccessLine("h", 1, Map.of(), recording(writes), 60_000);
        Vertx vertx = Vertx.vertx();
        String thread = inOneTurn(vertx.getOrCreateContext(), () -> writer.write(ERROR, Instant.EPOCH));
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(writes).isEmpty();

        writer.flushAll();

        assertThat(writes).hasSize(1);
        assertThat(new String(writes.get(0), StandardCharsets.US_ASCII))
                .isEqualTo(render(writer, ERROR, Instant.EPOCH, thread));
    }

    @Test
    void aGracefulStopOfTheAccessLogWritesWhatTheEventLoopsStillHold() throws Exception {
        List<byte[]> writes = Collections.synchronizedList(new ArrayList<>());
        JsonAccessLine writer = new JsonAccessLine("h", 1, Map.of(), recording(writes), 60_000);
        AccessLog accessLog = new AccessLog(true, writer);
        onAVertxContext(context -> {
            String thread = inOneTurn(context, () -> accessLog.completed(ERROR));
            inOneTurn(context, () -> {
            });
            assertThat(writes).isEmpty();

            // What Quarkus calls on shutdown, once the traffic port has drained, while the loops still run.
            accessLog.stop(new io.quarkus.runtime.ShutdownEvent());

            assertThat(writes).hasSize(1);
            assertThat(new String(writes.get(0), StandardCharsets.US_ASCII)).startsWith("{\"timestamp\":\"")
                    .contains("\"threadName\":\"" + thread + "\"", "\"requestId\":\"5f0c1f\"",
                            "\"status\":\"502\"")
                    .endsWith("}}\n");
        });
    }

    /** Runs {@code body} with a context of a fresh Vert.x (one event loop of its own), closed afterwards. */
    private static void onAVertxContext(ContextBody body) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            body.run(vertx.getOrCreateContext());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Runs {@code work} in one turn of {@code context}'s event loop and returns that loop thread's name. */
    private static String inOneTurn(Context context, Runnable work) throws Exception {
        CompletableFuture<String> loopThread = new CompletableFuture<>();
        context.runOnContext(turn -> {
            work.run();
            loopThread.complete(Thread.currentThread().getName());
        });
        return loopThread.get(10, TimeUnit.SECONDS);
    }

    @FunctionalInterface
    private interface ContextBody {
        void run(Context context) throws Exception;
    }

    /** Polls, with a deadline, until {@code writes} has {@code count} entries; never more. */
    private static void awaitWrites(List<byte[]> writes, int count) {
        FakeUpstream.await(Duration.ofSeconds(10), () -> writes.size() >= count);
        assertThat(writes).hasSize(count);
    }

    /** Records each write call's bytes; a byte-by-byte write fails the test. */
    private static OutputStream recording(List<byte[]> writes) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("a line is written in one call");
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                writes.add(Arrays.copyOfRange(bytes, offset, offset + length));
            }
        };
    }
}
