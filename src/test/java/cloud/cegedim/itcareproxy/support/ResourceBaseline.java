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
 * The upstream's connections must come back to their baseline exactly: a test that uses it sets a short
 * {@code upstream.keep-alive-timeout}, so that the proxy's idle pooled connections are gone too.
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

    private ResourceBaseline(IntSupplier upstream) {
        this.upstream = upstream;
        this.fds = openFileDescriptors();
        this.upstreamConnections = upstream.getAsInt();
        this.heap = heapAfterGc();
    }

    /** Takes the baseline now; {@code upstreamConnections} reads the upstream's open connections. */
    public static ResourceBaseline take(IntSupplier upstreamConnections) {
        return new ResourceBaseline(upstreamConnections);
    }

    /** Polls until descriptors, upstream connections and heap are back within tolerance, or fails after the deadline. */
    public void assertRestored(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            int nowFds = openFileDescriptors();
            int nowUpstream = upstream.getAsInt();
            long nowHeap = heapAfterGc();
            if (nowFds <= fds + FD_TOLERANCE && nowUpstream <= upstreamConnections
                    && nowHeap <= heap + HEAP_TOLERANCE) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(String.format(
                        "not back to the baseline within %s: file descriptors %d (baseline %d + %d), upstream connections"
                                + " %d (baseline %d), heap after GC %d MiB (baseline %d MiB + %d MiB)",
                        deadline, nowFds, fds, FD_TOLERANCE, nowUpstream, upstreamConnections,
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
