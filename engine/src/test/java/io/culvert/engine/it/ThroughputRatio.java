package io.culvert.engine.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks an interop class whose verdict is a throughput ratio against a stock↔stock pair measured in the same test
 * (collapse under loss, recovery from faults). CI's second pass (stock 2.7.6 as the peer, offloads off: {@code .ci/run},
 * {@code -Dtest.excludedGroups=openvpn27,throughput-ratio,...}) leaves it out: the main pass measures it against
 * Debian's 2.6, and the second pass proves the protocol, not the speed. (Under emulated loss the veth carries one
 * datagram per frame either way, ADR 0039; run {@code CULVERT_OFFLOAD=off engine/bench/loss-bench.sh} for the other path.)
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("throughput-ratio")
public @interface ThroughputRatio {}
