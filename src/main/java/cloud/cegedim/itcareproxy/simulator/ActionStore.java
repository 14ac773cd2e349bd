package cloud.cegedim.itcareproxy.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * ITCare's asynchronous actions. An action is {@code IN_PROGRESS} until {@code action-duration} has passed on the
 * clock, then {@code SUCCESS}: the status is computed from the clock whenever it is read, so a test moves a fake clock
 * instead of sleeping. What the action does to the inventory (its effect) runs once, from {@link #settle()}, which the
 * simulator calls at the start of every request: the inventory and the actions always tell the same story.
 */
final class ActionStore {

    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String SUCCESS = "SUCCESS";

    /** Who ITCare says submitted a call made with an API client's token. */
    static final String SUBMITTED_BY = "api-client";

    /** What was asked, about which resource; {@code requestId} is the caller's X-Request-Id, if it sent one. */
    record Submission(String process, String message, long resourceId, String resourceName, String resourceType,
            String family, Long serviceId, String requestId) {
    }

    /** A submitted action; its status depends on the time it is looked at. */
    record Action(long id, Submission submission, Instant submittedAt, Instant completesAt) {

        String status(Instant now) {
            return now.isBefore(completesAt) ? IN_PROGRESS : SUCCESS;
        }

        /** The documented action shape; {@code completedAt} appears once the action has completed. */
        ObjectNode toJson(Instant now) {
            boolean done = SUCCESS.equals(status(now));
            ObjectNode node = Json.object();
            node.put("id", id);
            node.put("status", status(now));
            node.put("message", submission.message());
            node.put("process", submission.process());
            node.put("resourceName", submission.resourceName());
            node.put("resourceType", submission.resourceType());
            node.put("family", submission.family());
            node.put("submittedAt", Json.date(submittedAt));
            node.put("submittedBy", SUBMITTED_BY);
            node.put("lastUpdatedAt", Json.date(done ? completesAt : submittedAt));
            if (done) {
                node.put("completedAt", Json.date(completesAt));
            }
            return node;
        }
    }

    private final Clock clock;
    private final Duration duration;
    private final Map<Long, Action> actions = new LinkedHashMap<>();
    private final Map<Long, Runnable> pendingEffects = new LinkedHashMap<>();
    private final long firstId;
    private long nextId;

    /**
     * @param clock the simulator's time
     * @param duration how long an action stays in progress
     * @param firstId the id of the first action; later ones count up from it
     */
    ActionStore(Clock clock, Duration duration, long firstId) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("action duration must not be negative: " + duration);
        }
        this.clock = clock;
        this.duration = duration;
        this.firstId = firstId;
        this.nextId = firstId;
    }

    /** Forgets every action, pending effects included, and restarts the ids. */
    synchronized void clear() {
        actions.clear();
        pendingEffects.clear();
        nextId = firstId;
    }

    Instant now() {
        return clock.instant();
    }

    /** Starts an action now; {@code effect} runs on the first {@link #settle()} after it completes. */
    synchronized Action submit(Submission submission, Runnable effect) {
        Instant now = now();
        Action action = new Action(nextId++, submission, now, now.plus(duration));
        actions.put(action.id(), action);
        pendingEffects.put(action.id(), effect);
        return action;
    }

    /** Records an action from the past, already completed: the history the seeded world starts with. */
    synchronized Action history(Submission submission, Instant submittedAt, Duration took) {
        Action action = new Action(nextId++, submission, submittedAt, submittedAt.plus(took));
        actions.put(action.id(), action);
        return action;
    }

    synchronized Optional<Action> find(long id) {
        return Optional.ofNullable(actions.get(id));
    }

    /** The actions that pass {@code filter}, the most recent first. */
    synchronized List<Action> list(Predicate<Action> filter) {
        List<Action> result = new ArrayList<>();
        for (Action action : actions.values()) {
            if (filter.test(action)) {
                result.add(action);
            }
        }
        result.sort(Comparator.comparing(Action::submittedAt).thenComparing(Action::id).reversed());
        return result;
    }

    /** Runs, once and in submission order, the effects of the actions that have completed by now. */
    void settle() {
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            Instant now = now();
            Iterator<Map.Entry<Long, Runnable>> pending = pendingEffects.entrySet().iterator();
            while (pending.hasNext()) {
                Map.Entry<Long, Runnable> entry = pending.next();
                if (SUCCESS.equals(actions.get(entry.getKey()).status(now))) {
                    due.add(entry.getValue());
                    pending.remove();
                }
            }
        }
        due.forEach(Runnable::run);
    }
}
