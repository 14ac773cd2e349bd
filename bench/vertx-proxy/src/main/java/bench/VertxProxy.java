package bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;

/**
 * The JVM baseline: vertx-http-proxy as its documentation shows it, with nothing added but what itcare-proxy does too
 * (the upstream's base path before the request target, a keep-alive pool of the same size shared out among the event
 * loops, one server and one client per event loop). Whatever itcare-proxy costs beyond this is its own features.
 * <p>
 * Usage: {@code VertxProxy <listen-port> <upstream-host> <upstream-port> <path-prefix> [instances]}; instances defaults
 * to the cores the JVM sees (so {@code taskset -c 0} gives one).
 */
public final class VertxProxy extends AbstractVerticle {

    /** itcare-proxy's default upstream.max-connections, shared out the same way. */
    private static final int POOL_TOTAL = 200;

    private final int port;
    private final String upstreamHost;
    private final int upstreamPort;
    private final String prefix;
    private final int poolSize;

    private VertxProxy(int port, String upstreamHost, int upstreamPort, String prefix, int poolSize) {
        this.port = port;
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.prefix = prefix;
        this.poolSize = poolSize;
    }

    @Override
    public void start(Promise<Void> started) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(poolSize));
        HttpProxy proxy = HttpProxy.reverseProxy(client).origin(upstreamPort, upstreamHost);
        proxy.addInterceptor(new ProxyInterceptor() {
            @Override
            public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                context.request().setURI(prefix + context.request().getURI());
                return context.sendRequest();
            }
        });
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                .requestHandler(proxy)
                .listen()
                .<Void> mapEmpty()
                .onComplete(started);
    }

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: VertxProxy <listen-port> <upstream-host> <upstream-port> <path-prefix> [instances]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String host = args[1];
        int upstreamPort = Integer.parseInt(args[2]);
        String prefix = args[3];
        int instances = args.length > 4 ? Integer.parseInt(args[4]) : Runtime.getRuntime().availableProcessors();
        int poolSize = Math.max(1, POOL_TOTAL / instances);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances));
        vertx.deployVerticle(() -> new VertxProxy(port, host, upstreamPort, prefix, poolSize),
                new DeploymentOptions().setInstances(instances))
                .onSuccess(id -> System.err.printf("vertx-http-proxy on 127.0.0.1:%d -> %s:%d%s (%d event loops)%n",
                        port, host, upstreamPort, prefix, instances))
                .onFailure(failure -> {
                    System.err.println("vertx-http-proxy could not start: " + failure);
                    System.exit(1);
                });
    }
}
