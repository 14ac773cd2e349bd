package cloud.cegedim.itcareproxy.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The client secret, read each time a token request needs it. From configuration or the environment it is a fixed
 * value; from a file (a mounted Kubernetes Secret) it is read again before every token request, through Vert.x's
 * file system on a worker thread, so that a rotated secret is used by the very next request and no event loop ever
 * waits on a disk. Reading the content rather than watching modification times also follows Kubernetes' atomic
 * symlink swap of a Secret volume.
 * <p>
 * {@code toString} names the source, never the value.
 */
abstract sealed class ClientSecret {

    /** The secret now; fails with {@link TokenUnavailable} when it cannot be had. */
    abstract Future<String> read();

    static ClientSecret value(String secret) {
        return new Fixed(secret);
    }

    static ClientSecret file(Vertx vertx, Path path) {
        return new FromFile(vertx, path);
    }

    private static final class Fixed extends ClientSecret {

        private final Future<String> secret;

        Fixed(String secret) {
            this.secret = Future.succeededFuture(Objects.requireNonNull(secret, "secret"));
        }

        @Override
        Future<String> read() {
            return secret;
        }

        @Override
        public String toString() {
            return "ClientSecret[configured value]";
        }
    }

    private static final class FromFile extends ClientSecret {

        private static final Logger LOG = Logger.getLogger(ClientSecret.class);

        private final Vertx vertx;
        private final Path path;
        /** The last secret read, only to tell the operator when a rotation has been picked up. */
        private volatile String last;

        FromFile(Vertx vertx, Path path) {
            this.vertx = vertx;
            this.path = path;
        }

        @Override
        Future<String> read() {
            return vertx.fileSystem().readFile(path.toString())
                    .recover(failure -> Future.failedFuture(new TokenUnavailable("cannot read the client secret file "
                            + path + " (itcare-proxy.auth.client-secret-file): " + reason(failure))))
                    .compose(content -> {
                        String secret = content.toString(StandardCharsets.UTF_8).strip();
                        if (secret.isEmpty()) {
                            return Future.failedFuture(new TokenUnavailable("the client secret file " + path
                                    + " (itcare-proxy.auth.client-secret-file) is empty"));
                        }
                        String previous = last;
                        last = secret;
                        if (previous != null && !previous.equals(secret)) {
                            LOG.infof("the client secret in %s has changed: token requests use the new one", path);
                        }
                        return Future.succeededFuture(secret);
                    });
        }

        /** {@code NoSuchFileException}, {@code AccessDeniedException}: the type says it all, and holds no content. */
        private static String reason(Throwable failure) {
            Throwable root = failure.getCause() != null ? failure.getCause() : failure;
            return root.getClass().getSimpleName();
        }

        @Override
        public String toString() {
            return "ClientSecret[file " + path + "]";
        }
    }
}
