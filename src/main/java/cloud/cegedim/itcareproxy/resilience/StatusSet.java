package cloud.cegedim.itcareproxy.resilience;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An immutable set of HTTP status codes, resolved once from configuration so that the per-request question "is this
 * status in the set?" is one array read: no boxing, no hashing. Codes are the three-digit range 100..599 that HTTP
 * defines; anything outside it is simply never contained.
 */
public final class StatusSet {

    /** Lowest status code HTTP defines. */
    public static final int MIN = 100;
    /** Highest status code HTTP defines. */
    public static final int MAX = 599;

    private static final StatusSet EMPTY = new StatusSet(new boolean[MAX + 1]);

    private final boolean[] members;

    private StatusSet(boolean[] members) {
        this.members = members;
    }

    /**
     * The set of the given codes.
     *
     * @throws IllegalArgumentException when a code lies outside 100..599: a configured status that can never occur is
     *                                  a typo, better refused at start-up than silently ignored
     */
    public static StatusSet of(Collection<Integer> codes) {
        boolean[] members = new boolean[MAX + 1];
        for (Integer code : codes) {
            if (code == null || code < MIN || code > MAX) {
                throw new IllegalArgumentException("HTTP status out of range " + MIN + ".." + MAX + ": " + code);
            }
            members[code] = true;
        }
        return new StatusSet(members);
    }

    /** The set of the given codes; see {@link #of(Collection)}. */
    public static StatusSet of(int... codes) {
        Integer[] boxed = Arrays.stream(codes).boxed().toArray(Integer[]::new);
        return of(Arrays.asList(boxed));
    }

    /** The empty set. */
    public static StatusSet none() {
        return EMPTY;
    }

    /** Whether {@code status} is a member; false for any value outside 100..599. */
    public boolean contains(int status) {
        return status >= MIN && status <= MAX && members[status];
    }

    /** The members in ascending order, for display (the circuit-breaker endpoint, logs); not for the hot path. */
    public SortedSet<Integer> toSortedSet() {
        SortedSet<Integer> result = new TreeSet<>();
        for (int code = MIN; code <= MAX; code++) {
            if (members[code]) {
                result.add(code);
            }
        }
        return Collections.unmodifiableSortedSet(result);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StatusSet that && Arrays.equals(members, that.members);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(members);
    }

    @Override
    public String toString() {
        return toSortedSet().toString();
    }
}
