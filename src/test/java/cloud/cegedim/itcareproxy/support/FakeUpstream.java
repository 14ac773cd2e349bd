package cloud.cegedim.itcareproxy.support;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * A real HTTP upstream on a dynamic loopback port, scripted by each test: it records every request it receives (method,
 * target, headers, body size and SHA-256, computed while streaming so multi-MiB bodies are never held) and answers
 * with whatever handler the test sets. It runs on its own Vert.x instance, apart from the proxy's.
 */
public final class FakeUpstream {

    /** What the upstream saw of one request. */
    public record Received(String method, String uri, MultiMap headers, long bodyLength, String bodySha256,
            long receivedNanos) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Handler<HttpServerRequest> behaviour;
    private HttpServer server;

    public FakeUpstream start() {
        return start(new HttpServerOptions());
    }

    /**
     * An HTTPS upstream whose certificate is self-signed (made by the JDK's keytool for this run, so no key lives in
     * the repository): no client that verifies certificates may trust it.
     */
    public FakeUpstream startTls() {
        try {
            java.nio.file.Path store = java.nio.file.Files.createTempFile("fake-upstream", ".p12");
            java.nio.file.Files.delete(store);
            String keytool = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "upstream", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit",
                    "-ext", "SAN=ip:127.0.0.1,dns:localhost").redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + new String(process.getInputStream().readAllBytes()));
            }
            return start(new HttpServerOptions().setSsl(true).setKeyCertOptions(
                    new io.vertx.core.net.PfxOptions().setPath(store.toString()).setPassword("changeit")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private FakeUpstream start(HttpServerOptions options) {
        server = join(vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0).setMaxHeaderSize(64 * 1024))
                .connectionHandler(connection -> connections.incrementAndGet())
                .requestHandler(this::handle)
                .listen());
        reset();
        return this;
    }

    public int port() {
        return server.actualPort();
    }

    /** Forgets what was received (and the connections counted) and answers 200 with a small JSON body again. */
    public void reset() {
        received.clear();
        connections.set(0);
        behaviour = request -> request.response().putHeader("Content-Type", "application/json").end("{\"ok\":true}");
    }

    /** Sets how the upstream answers; the request's body has been read and recorded when the handler runs. */
    public void answer(Handler<HttpServerRequest> handler) {
        this.behaviour = handler;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received last() {
        List<Received> all = received();
        if (all.isEmpty()) {
            throw new AssertionError("the upstream received no request");
        }
        return all.get(all.size() - 1);
    }

    public int count() {
        return received.size();
    }

    /** The connections accepted since the last {@link #reset()}. */
    public int connections() {
        return connections.get();
    }

    /** Answers with each of these handlers in turn, the last one for every request after. */
    @SafeVarargs
    public final void script(Handler<HttpServerRequest>... answers) {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        answer(request -> answers[Math.min(next.getAndIncrement(), answers.length - 1)].handle(request));
    }

    /** An answer of this status with an empty body. */
    public static Handler<HttpServerRequest> status(int status) {
        return request -> request.response().setStatusCode(status).end();
    }

    /** Polls until the condition holds, failing after the deadline: for effects that land after the response. */
    public static void await(Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + deadline);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    public void stop() {
        join(vertx.close());
    }

    private void handle(HttpServerRequest request) {
        MessageDigest digest = sha256();
        long[] length = { 0 };
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
        request.handler(chunk -> {
            length[0] += chunk.length();
            digest.update(chunk.getBytes());
        });
        request.endHandler(end -> {
            received.add(new Received(request.method().name(), request.uri(), headers, length[0],
                    HexFormat.of().formatHex(digest.digest()), System.nanoTime()));
            behaviour.handle(request);
        });
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits up to 30 s for a Vert.x future of a test fixture (a server starting or stopping). */
    public static <T> T join(io.vertx.core.Future<T> future) {
        try {
            CompletableFuture<T> f = future.toCompletionStage().toCompletableFuture();
            return f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
