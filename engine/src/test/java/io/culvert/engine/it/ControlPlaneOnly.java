package io.culvert.engine.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks an interop class (or one test of it) that proves the control plane only: handshakes, authentication, PKI, the management
 * interface, option handling, status files. Its tunnels carry at most a ping, so the data path's kernel offloads do not
 * change what it proves. Both CI passes run it ({@code .ci/run}); the tag lets a local run of the data path leave it
 * out ({@code -Dtest.excludedGroups=control-plane}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("control-plane")
public @interface ControlPlaneOnly {}
