package cloud.cegedim.itcareproxy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The secret from configuration or from a file read again before each token request, on real files. */
class ClientSecretTest {

    private static Vertx vertx;

    @TempDir
    Path dir;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) throws InterruptedException, ExecutionException, TimeoutException {
        return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static Throwable failure(Future<?> future) throws InterruptedException, TimeoutException {
        try {
            await(future);
            throw new AssertionError("the read succeeded");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void aConfiguredValueIsReadAsItIs() throws Exception {
        ClientSecret secret = ClientSecret.value("from-the-environment");

        assertThat(await(secret.read())).isEqualTo("from-the-environment");
        assertThat(secret).hasToString("ClientSecret[configured value]");
    }

    @Test
    void aFileIsReadWithoutItsTrailingNewlineAndAgainAfterItChanges() throws Exception {
        Path file = Files.writeString(dir.resolve("client-secret"), "first-secret\n");
        ClientSecret secret = ClientSecret.file(vertx, file);
        assertThat(await(secret.read())).isEqualTo("first-secret");

        Files.writeString(file, "second-secret");

        assertThat(await(secret.read())).isEqualTo("second-secret");
        assertThat(secret).hasToString("ClientSecret[file " + file + "]");
    }

    @Test
    void followsAKubernetesSecretVolumeThroughItsAtomicSymlinkSwap() throws Exception {
        Path first = Files.createDirectory(dir.resolve("..2025_07_06_11_01_21.1"));
        Files.writeString(first.resolve("client-secret"), "before-rotation");
        Path data = Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path mounted = Files.createSymbolicLink(dir.resolve("client-secret"), Path.of("..data", "client-secret"));
        ClientSecret secret = ClientSecret.file(vertx, mounted);
        assertThat(await(secret.read())).isEqualTo("before-rotation");

        Path second = Files.createDirectory(dir.resolve("..2025_07_06_12_00_00.2"));
        Files.writeString(second.resolve("client-secret"), "after-rotation");
        Path swap = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(swap, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        assertThat(await(secret.read())).isEqualTo("after-rotation");
    }

    @Test
    void aMissingFileFailsNamingThePathAndTheReasonOnly() throws Exception {
        Path missing = dir.resolve("absent");

        Throwable failure = failure(ClientSecret.file(vertx, missing).read());

        assertThat(failure).isInstanceOf(TokenUnavailable.class).hasMessage("cannot read the client secret file "
                + missing + " (itcare-proxy.auth.client-secret-file): NoSuchFileException");
    }

    @Test
    void anEmptyFileFails() throws IOException, InterruptedException, TimeoutException {
        Path blank = Files.writeString(dir.resolve("blank"), " \n");

        Throwable failure = failure(ClientSecret.file(vertx, blank).read());

        assertThat(failure).isInstanceOf(TokenUnavailable.class)
                .hasMessage("the client secret file " + blank + " (itcare-proxy.auth.client-secret-file) is empty");
    }
}
