package cloud.cegedim.itcareproxy.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * A load generator aimed at the proxy: a Vert.x HTTP/1.1 client on its own Vert.x instance with a keep-alive pool of up
 * to {@code connections} connections, which sends every call at once and lets the pool spread them. Each call ends in
 * exactly one {@link Result}: the whole answer, or the failure that broke it; nothing is retried on the client side.
 */
public final class LoadClient implements AutoCloseable {

    /** One request: its id (sent as {@link FaultyUpstream#TEST_ID}), method and optional body. */
    public record Call(String id, HttpMethod method, String target, Buffer body) {
    }

    /** What the client got: status, headers and body, or the failure (status 0). */
    public record Result(Call call, int status, MultiMap headers, Buffer body, Throwable failure) {
        public boolean failed() {
            return failure != null;
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client;
    private final AtomicInteger opened = new AtomicInteger();

    public LoadClient(int port, int connections) {
        client = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true)
                        .setPipelining(false).setTcpNoDelay(true))
                .with(new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1))
                .withConnectHandler(connection -> opened.incrementAndGet())
                .build();
    }

    /** Connections the pool has opened so far. */
    public int connectionsOpened() {
        return opened.get();
    }

    /** Sends every call at once and waits for all of them, failing if they are not all done within the deadline. */
    public List<Result> run(List<Call> calls, Duration deadline) {
        List<CompletableFuture<Result>> pending = new ArrayList<>(calls.size());
        for (Call call : calls) {
            pending.add(send(call).toCompletionStage().toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            long done = pending.stream().filter(CompletableFuture::isDone).count();
            throw new AssertionError(done + " of " + calls.size() + " calls answered within " + deadline, e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return pending.stream().map(CompletableFuture::join).toList();
    }

    private Future<Result> send(Call call) {
        RequestOptions options = new RequestOptions().setMethod(call.method()).setURI(call.target())
                .putHeader(FaultyUpstream.TEST_ID, call.id()).setIdleTimeout(60_000);
        return client.request(options)
                .compose(request -> call.body() == null ? request.send() : request.send(call.body()))
                .compose(response -> response.body().map(body -> new Result(call, response.statusCode(),
                        response.headers(), body, null)))
                .otherwise(failure -> new Result(call, 0, null, null, failure));
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
