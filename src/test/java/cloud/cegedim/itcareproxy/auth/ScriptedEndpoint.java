package cloud.cegedim.itcareproxy.auth;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/** A token endpoint whose answers the test gives by hand, one pending request at a time, counting requests. */
final class ScriptedEndpoint implements TokenEndpoint {

    private final Deque<Promise<Issued>> pending = new ArrayDeque<>();
    private int requests;

    @Override
    public Future<Issued> fetch() {
        requests++;
        Promise<Issued> request = Promise.promise();
        pending.add(request);
        return request.future();
    }

    @Override
    public String describe() {
        return "https://keycloak.test/token";
    }

    int requests() {
        return requests;
    }

    int pending() {
        return pending.size();
    }

    void grant(String token, Duration lifetime) {
        pending.remove().complete(new Issued(token, lifetime));
    }

    void refuse(String message) {
        pending.remove().fail(new TokenUnavailable(message));
    }

    void crash(RuntimeException bug) {
        pending.remove().fail(bug);
    }
}
