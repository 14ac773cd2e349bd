package cloud.cegedim.itcareproxy.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Client-credentials mode with the secret in a file, as a mounted Kubernetes Secret gives it; the simulator starts
 * by accepting the file's first secret.
 */
public class SecretFileProfile implements QuarkusTestProfile {

    static final String FIRST = "file-secret-1";
    static final Path FILE = secretFile();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(ClientCredentialsProfile.common(ClientCredentialsProfile.freePort()));
        config.put("itcare-proxy.auth.client-secret-file", FILE.toString());
        config.put("itcare-proxy.simulator.client-secret", FIRST);
        return config;
    }

    private static Path secretFile() {
        try {
            Path dir = Files.createTempDirectory("itcare-proxy-secret");
            dir.toFile().deleteOnExit();
            Path file = Files.writeString(dir.resolve("client-secret"), FIRST + "\n");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
