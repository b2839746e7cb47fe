package io.culvert.engine.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that needs root, network namespaces, {@code /dev/net/tun} and the stock openvpn peer
 * ({@link StockOpenvpn#peer()}: {@code /usr/sbin/openvpn} unless {@code CULVERT_STOCK_OPENVPN} names another).
 * Missing requirements skip the test, or fail it when the environment variable {@code CI=true}.
 * Such tests run concurrently with each other (each builds its own namespaces), which keeps the suite short;
 * a test that measures the kernel's packet counters is {@code @Isolated}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("netns")
@ExtendWith(NetnsCondition.class)
@Execution(ExecutionMode.CONCURRENT)
public @interface NetnsTest {

    /** Extra executables the test needs on the PATH, for example {@code "iperf3"}. */
    String[] tools() default {};
}
