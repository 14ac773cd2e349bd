package cloud.cegedim.itcareproxy.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import cloud.cegedim.itcareproxy.support.FakeUpstream;

/**
 * The packaged application as users run it ({@code java -jar target/quarkus-app/quarkus-run.jar}), in the prod profile:
 * bad configuration stops it with the key's name; good configuration makes it ready on the management port.
 */
class PackagedAppIT {

    private static final String JAR = System.getProperty("app.jar", "target/quarkus-app/quarkus-run.jar");

    @Test
    void badConfigurationStopsTheStartNamingEachKey() throws Exception {
        Result result = run(Map.of(
                "ITCARE_PROXY_RETRY_BUDGET_RATIO", "1.5",
                "ITCARE_PROXY_UPSTREAM_URL", "api.cegedim.cloud/itcare",
                "ITCARE_PROXY_SERVER_PORT", Integer.toString(freePort()),
                "QUARKUS_MANAGEMENT_PORT", Integer.toString(freePort())));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output())
                .contains("itcare-proxy.retry.budget.ratio must be between 0 and 1, was 1.5")
                .contains("itcare-proxy.upstream.url must be an absolute http:// or https:// URL, was 'api.cegedim.cloud/itcare'");
    }

    @Test
    void anUnknownBreakerScopeStopsTheStartNamingTheKey() throws Exception {
        Result result = run(Map.of(
                "ITCARE_PROXY_CIRCUIT_BREAKER_SCOPE", "planet",
                "ITCARE_PROXY_SERVER_PORT", Integer.toString(freePort()),
                "QUARKUS_MANAGEMENT_PORT", Integer.toString(freePort())));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("itcare-proxy.circuit-breaker.scope");
    }

    @Test
    void startsInTheProdProfileAndBecomesReady() throws Exception {
        int management = freePort();
        int traffic = freePort();
        Path log = Files.createTempFile("itcare-proxy", ".log");
        Process process = start(Map.of("ITCARE_PROXY_SERVER_PORT", Integer.toString(traffic),
                "QUARKUS_MANAGEMENT_PORT", Integer.toString(management)), log);
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> ready = poll(client, "http://127.0.0.1:" + management + "/q/health/ready", Duration.ofSeconds(30));

            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(Files.readString(log)).contains("Profile prod activated")
                    .contains("forwarding http://0.0.0.0:" + traffic + " to https://api.cegedim.cloud:443/itcare");
        } finally {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void drainsARequestInFlightOnSigtermBeforeClosing() throws Exception {
        FakeUpstream upstream = new FakeUpstream().start();
        java.util.concurrent.CompletableFuture<io.vertx.core.http.HttpServerRequest> held = new java.util.concurrent.CompletableFuture<>();
        upstream.answer(held::complete);
        Running proxy = startReadyInFrontOf(upstream, Map.of());
        Process process = proxy.process();
        Path log = proxy.log();
        try {
            HttpClient client = proxy.client();
            int traffic = proxy.traffic();
            var inFlight = client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + traffic + "/compute/instances"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            io.vertx.core.http.HttpServerRequest waiting = held.get(10, TimeUnit.SECONDS);

            process.destroy(); // SIGTERM
            FakeUpstream.await(Duration.ofSeconds(10), () -> logged(log, "draining 1 request"));
            waiting.response().end("{\"drained\":true}");

            HttpResponse<String> answer = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"drained\":true}");
            assertThat(answer.headers().firstValue("Connection")).hasValue("close");
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // 143 = 128 + SIGTERM: the JVM's status after its shutdown hooks ran on that signal.
            assertThat(process.exitValue()).isEqualTo(143);
            assertThat(Files.readString(log)).doesNotContain("still in flight");
            // Its access line, held by the event loop for its next write, is written before the process ends.
            assertThat(Files.readAllLines(log).stream()
                    .filter(line -> line.contains("\"loggerName\":\"itcare-proxy.access\"")).toList())
                    .singleElement().asString().contains("\"status\":\"200\"", "\"completed\":\"true\"");
        } finally {
            process.destroyForcibly();
            upstream.stop();
        }
    }

    /**
     * The prod console is JSON: the proxy writes the access line itself (no {@code sequence}, which only a log record
     * has), or, with {@code through-logging}, as a log record the console formats; the same fields either way.
     */
    @ParameterizedTest(name = "through-logging={0}")
    @ValueSource(booleans = { false, true })
    void writesOneJsonAccessLinePerRequestToStdout(boolean throughLogging) throws Exception {
        FakeUpstream upstream = new FakeUpstream().start();
        upstream.answer(request -> request.response().setStatusCode(404).end());
        Running proxy = startReadyInFrontOf(upstream,
                Map.of("ITCARE_PROXY_ACCESS_LOG_THROUGH_LOGGING", Boolean.toString(throughLogging)));
        Process process = proxy.process();
        Path log = proxy.log();
        try {
            HttpClient client = proxy.client();
            int traffic = proxy.traffic();
            for (String id : List.of("it-access-1", "it-access-2")) {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + traffic + "/compute/instances/7")).header("X-Request-Id", id)
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(404);
            }

            FakeUpstream.await(Duration.ofSeconds(10), () -> logged(log, "\"requestId\":\"it-access-2\""));
            List<io.vertx.core.json.JsonObject> access = Files.readAllLines(log).stream()
                    .filter(line -> line.contains("\"loggerName\":\"itcare-proxy.access\""))
                    .map(io.vertx.core.json.JsonObject::new).toList();
            assertThat(access).hasSize(2);
            io.vertx.core.json.JsonObject first = access.get(0);
            assertThat(first.containsKey("sequence")).as("a log record's sequence").isEqualTo(throughLogging);
            assertThat(first.getString("level")).isEqualTo("INFO");
            assertThat(first.getString("message")).startsWith("requestId=it-access-1 method=GET "
                    + "route=/compute/instances/{id} status=404 errorCode=NOT_FOUND origin=upstream attempts=1 ");
            assertThat(first.getString("threadName")).startsWith("vert.x-eventloop-thread-");
            assertThat(first.getLong("processId")).isEqualTo(process.pid());
            assertThat(first.getJsonObject("mdc").getMap()).containsEntry("requestId", "it-access-1")
                    .containsEntry("route", "/compute/instances/{id}").containsEntry("status", "404")
                    .containsEntry("errorCode", "NOT_FOUND").containsEntry("origin", "upstream")
                    .containsEntry("attempts", "1").containsEntry("completed", "true");
            assertThat(java.time.Instant.parse(first.getString("timestamp")))
                    .isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now());
        } finally {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
            upstream.stop();
        }
    }

    private static boolean logged(Path log, String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Map<String, String> env) throws Exception {
        Path log = Files.createTempFile("itcare-proxy", ".log");
        Process process = start(env, log);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the application did not stop by itself; output: " + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> poll(HttpClient client, String url, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        IOException last = null;
        while (System.nanoTime() < end) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        throw new AssertionError("not ready within " + deadline, last);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A packaged proxy that has become ready, its output in {@code log}. */
    private record Running(Process process, int traffic, Path log, HttpClient client) {
    }

    /** The packaged proxy on loopback ports, with {@code upstream} as its ITCare, once ready. */
    private static Running startReadyInFrontOf(FakeUpstream upstream, Map<String, String> more) throws Exception {
        int traffic = freePort();
        int management = freePort();
        Path log = Files.createTempFile("itcare-proxy", ".log");
        Map<String, String> env = new java.util.HashMap<>(more);
        env.putAll(Map.of("ITCARE_PROXY_SERVER_PORT", Integer.toString(traffic),
                "QUARKUS_MANAGEMENT_PORT", Integer.toString(management),
                "ITCARE_PROXY_UPSTREAM_URL", "http://127.0.0.1:" + upstream.port() + "/itcare"));
        Process process = start(env, log);
        HttpClient client = HttpClient.newHttpClient();
        try {
            poll(client, "http://127.0.0.1:" + management + "/q/health/ready", Duration.ofSeconds(30));
        } catch (AssertionError notReady) {
            process.destroyForcibly();
            throw notReady;
        }
        return new Running(process, traffic, log, client);
    }

    private static Process start(Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of(java(), "-jar", JAR))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }
}
