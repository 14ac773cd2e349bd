package bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The upstream's upload endpoint (nginx passes uploads to it: nginx alone cannot read a whole body before answering
 * without writing it to disk). It reads the whole body, whatever its framing, and only then answers
 * {@code {"received":<bytes>}}, so that the benchmark can check that every byte went through each proxy.
 * <p>
 * Usage: {@code UploadSink <listen-port>}.
 */
public final class UploadSink extends AbstractVerticle {

    private final int port;

    private UploadSink(int port) {
        this.port = port;
    }

    @Override
    public void start(Promise<Void> started) {
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                .requestHandler(UploadSink::sink)
                .listen()
                .<Void> mapEmpty()
                .onComplete(started);
    }

    private static void sink(HttpServerRequest request) {
        long[] received = {0};
        request.handler(chunk -> received[0] += chunk.length());
        request.endHandler(end -> request.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"received\":" + received[0] + "}"));
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: UploadSink <listen-port>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        vertx.deployVerticle(() -> new UploadSink(port), new DeploymentOptions().setInstances(1))
                .onSuccess(id -> System.err.printf("upload sink on 127.0.0.1:%d%n", port))
                .onFailure(failure -> {
                    System.err.println("upload sink could not start: " + failure);
                    System.exit(1);
                });
    }
}
