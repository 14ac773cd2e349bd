package cloud.cegedim.itcareproxy.simulator;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.inject.Qualifier;

/**
 * Marks the clock and the random source that belong to the simulator. The qualifier keeps them apart from any
 * {@code Clock} or {@code RandomGenerator} the proxy itself produces, so a test can replace the simulator's time
 * without touching the proxy's.
 */
@Qualifier
@Retention(RUNTIME)
@Target({ TYPE, METHOD, FIELD, PARAMETER })
public @interface Simulated {
}
