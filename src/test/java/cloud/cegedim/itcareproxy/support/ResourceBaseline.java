package cloud.cegedim.itcareproxy.support;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * What the test JVM (proxy, upstream and clients together) holds before a load: open file descriptors, the upstream's
 * open connections, and heap used after a full collection. {@link #assertRestored} polls until each is back within its
 * tolerance, so a leak of sockets, upstream connections or retained buffers fails the test, and a slow release on a
 * loaded machine does not.
 * <p>
 * The proxy's upstream pool may keep its idle keep-alive connections (Vert.x closes them after its 60 s keep-alive
 * timeout), so up to the pool's size of upstream connections, and both of their descriptors in this JVM, are allowed
 * on top of the baseline; the load's client connections, five times as many, are not.
 */
public final class ResourceBaseline {

    /** Descriptors the JVM may open for its own reasons meanwhile (class loading, logs, JIT). */
    private static final int FD_TOLERANCE = 64;
    /** Heap that may stay in use for reasons unrelated to the traffic (metrics, JIT, pools warmed up). */
    private static final long HEAP_TOLERANCE = 48L * 1024 * 1024;

    private final int fds;
    private final int upstreamConnections;
    private final long heap;
    private final IntSupplier upstream;
    private final int pool;

    private ResourceBaseline(IntSupplier upstream, int pool) {
        this.upstream = upstream;
        this.pool = pool;
        this.fds = openFileDescriptors();
        this.upstreamConnections = upstream.getAsInt();
        this.heap = heapAfterGc();
    }

    /**
     * Takes the baseline now; {@code upstreamConnections} reads the upstream's open connections, {@code upstreamPool} is
     * the proxy's {@code upstream.max-connections}.
     */
    public static ResourceBaseline take(IntSupplier upstreamConnections, int upstreamPool) {
        return new ResourceBaseline(upstreamConnections, upstreamPool);
    }

    /** Polls until descriptors, upstream connections and heap are back within tolerance, or fails after the deadline. */
    public void assertRestored(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            int nowFds = openFileDescriptors();
            int nowUpstream = upstream.getAsInt();
            long nowHeap = heapAfterGc();
            if (nowFds <= fds + FD_TOLERANCE + 2 * pool && nowUpstream <= upstreamConnections + pool
                    && nowHeap <= heap + HEAP_TOLERANCE) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(String.format(
                        "not back to the baseline within %s: file descriptors %d (baseline %d + %d), upstream connections"
                                + " %d (baseline %d + %d), heap after GC %d MiB (baseline %d MiB + %d MiB)",
                        deadline, nowFds, fds, FD_TOLERANCE + 2 * pool, nowUpstream, upstreamConnections, pool,
                        nowHeap >> 20, heap >> 20, HEAP_TOLERANCE >> 20));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    public static int openFileDescriptors() {
        String[] entries = new File("/proc/self/fd").list();
        if (entries == null) {
            throw new IllegalStateException("/proc/self/fd cannot be read: these checks need Linux");
        }
        return entries.length;
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
