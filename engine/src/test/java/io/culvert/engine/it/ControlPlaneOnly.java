package io.culvert.engine.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks an interop class (or one test of it) that proves the control plane only: handshakes, authentication, PKI, the management
 * interface, option handling, status files. Its tunnels carry at most a ping, so the data path's kernel offloads do not
 * change what it proves; CI's offloads-off pass ({@code .ci/run}, {@code -Dtest.excludedGroups=control-plane}) leaves it
 * out, while the passes against stock 2.6 and 2.7.6 run it.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("control-plane")
public @interface ControlPlaneOnly {}
