package io.culvert.engine.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks an interop class that proves one of Culvert's own features, which no stock OpenVPN has (gateway mode, NAT
 * routes, the client-to-client pair policy, the kill switch: nftables rules and forwarding on the Culvert end). Its
 * stock peer is only a client or server that connects, which every other class proves against both releases; so CI's
 * pass with stock 2.7.6 as the peer ({@code .ci/run}, {@code -Dtest.excludedGroups=...,culvert-feature}) leaves it
 * out, while the main pass (stock 2.6) runs it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("culvert-feature")
public @interface CulvertFeature {}
