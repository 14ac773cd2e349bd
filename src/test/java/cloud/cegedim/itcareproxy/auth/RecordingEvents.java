package cloud.cegedim.itcareproxy.auth;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/** Counts token request outcomes and keeps the gauge's reader, as the metrics bridge would. */
final class RecordingEvents implements TokenEvents {

    final AtomicInteger successes = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    volatile DoubleSupplier secondsLeft = () -> Double.NaN;

    @Override
    public void refreshed(boolean success) {
        (success ? successes : failures).incrementAndGet();
    }

    @Override
    public void expiresIn(DoubleSupplier supplier) {
        this.secondsLeft = supplier;
    }
}
