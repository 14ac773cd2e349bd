package cloud.cegedim.itcareproxy.simulator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The active faults and the decision, per request, of which one (if any) hits it. Time and chance are injected, so a
 * test decides both: a fake clock expires faults, fixed dice make a rate of 0.5 hit or miss on purpose.
 */
final class Faults {

    private final Clock clock;
    private final RandomGenerator random;
    private final List<Fault> faults = new ArrayList<>();
    private long nextId = 1;

    Faults(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /** Validates and registers a fault posted to the control API. */
    synchronized Fault add(ObjectNode spec) {
        Fault fault = Fault.parse(spec, nextId, clock.instant());
        nextId++;
        faults.add(fault);
        return fault;
    }

    /** The faults not yet expired, oldest first. */
    synchronized List<Fault> active() {
        faults.removeIf(fault -> !fault.activeAt(clock.instant()));
        return List.copyOf(faults);
    }

    /** Removes every fault; ids keep counting, so a stale id never names a newer fault. */
    synchronized void clear() {
        faults.clear();
    }

    /** Removes every fault and numbers the next one 1 again, as on a fresh start. */
    synchronized void reset() {
        faults.clear();
        nextId = 1;
    }

    synchronized boolean remove(long id) {
        return faults.removeIf(fault -> fault.id() == id);
    }

    /**
     * The fault that hits a request in {@code area}: the active faults covering the area are tried oldest first, each
     * with one roll of the dice against its rate; the first that hits wins.
     */
    synchronized Optional<Fault> pick(String area) {
        for (Fault fault : active()) {
            if (fault.covers(area) && random.nextDouble() < fault.rate()) {
                return Optional.of(fault);
            }
        }
        return Optional.empty();
    }
}
