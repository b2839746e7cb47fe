package io.culvert.engine.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks an interop test that needs stock OpenVPN 2.7 itself (epoch data format, PUSH_UPDATE …), run as
 * {@link StockOpenvpn#openvpn27()}. Everything {@link NetnsTest} needs, plus that binary: without it the test is
 * skipped saying which variable to set and how to build the binary, or fails when {@code CI=true}.
 *
 * <p>Tagged {@code openvpn27}: such a test runs 2.7 whichever stock peer a pass names, so CI's pass with 2.7.6 as the
 * peer ({@code .ci/run}, {@code -Dtest.excludedGroups=openvpn27}) leaves it out; the main pass has already run it.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@NetnsTest
@ExtendWith(Openvpn27Condition.class)
@Tag("openvpn27")
public @interface Openvpn27Test {
}
