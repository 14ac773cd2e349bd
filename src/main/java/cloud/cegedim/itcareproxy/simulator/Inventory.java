package cloud.cegedim.itcareproxy.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The simulated ITCare estate: one table per kind of resource, rows kept as the JSON ITCare answers, and one id
 * sequence shared by every kind, so an id names one resource whatever its kind (as in {@code /compute/resources}).
 * Rows go out as copies: a handler can never change the store by editing what it read.
 */
final class Inventory {

    /** The rows of one kind of resource, in id order. */
    static final class Table {

        private final Map<Long, ObjectNode> rows = new TreeMap<>();

        synchronized Optional<ObjectNode> get(long id) {
            return Optional.ofNullable(rows.get(id)).map(ObjectNode::deepCopy);
        }

        synchronized List<ObjectNode> all() {
            List<ObjectNode> copies = new ArrayList<>(rows.size());
            rows.values().forEach(row -> copies.add(row.deepCopy()));
            return copies;
        }

        synchronized void put(ObjectNode row) {
            rows.put(row.get("id").asLong(), row.deepCopy());
        }

        /** Changes a row in place; does nothing when the row is gone (deleted while an action was running). */
        synchronized void update(long id, Consumer<ObjectNode> change) {
            ObjectNode row = rows.get(id);
            if (row != null) {
                change.accept(row);
            }
        }

        synchronized void remove(long id) {
            rows.remove(id);
        }

        synchronized void clear() {
            rows.clear();
        }

        synchronized boolean hasName(String name) {
            return rows.values().stream().anyMatch(row -> row.path("name").asText().equalsIgnoreCase(name));
        }
    }

    final Table instances = new Table();
    final Table databases = new Table();
    final Table loadBalancers = new Table();

    private final long firstId;
    private long nextId;

    /** @param firstId the id the first resource gets, ITCare-like (500061854) */
    Inventory(long firstId) {
        this.firstId = firstId;
        this.nextId = firstId;
    }

    /** Empties every table and restarts the ids, for a fresh seed. */
    synchronized void clear() {
        instances.clear();
        databases.clear();
        loadBalancers.clear();
        nextId = firstId;
    }

    /** A fresh id for a resource created through the API. */
    long newId() {
        return newId(1);
    }

    /** A fresh id, leaving {@code gap - 1} ids unused after it, as a shared platform does where others create too. */
    synchronized long newId(int gap) {
        long id = nextId;
        nextId += Math.max(1, gap);
        return id;
    }
}
