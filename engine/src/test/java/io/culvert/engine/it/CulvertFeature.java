package io.culvert.engine.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks an interop class that proves one of Culvert's own features, which no stock OpenVPN has (gateway mode, NAT
 * routes, the client-to-client pair policy, the kill switch: nftables rules and forwarding on the Culvert end; the
 * path check; the WebSocket transport behind nginx; the fleet on PostgreSQL). Its
 * stock peer is only a client or server that connects, which every other class proves against both releases, and its
 * tunnel's data path is the one every other class proves with offloads on and off; so CI's second pass (stock 2.7.6
 * as the peer, offloads off: {@code .ci/run}, {@code -Dtest.excludedGroups=...,culvert-feature}) leaves it out,
 * while the main pass (stock 2.6, offloads on) runs it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("culvert-feature")
public @interface CulvertFeature {}
