package io.culvert.engine.server.route;

/** How a counted packet travelled between two endpoints. */
public enum FlowKind {
    /** Between a client and the server host (through the device), in either direction. */
    UNICAST_VIA_SERVER,
    /** From one client straight to another, routed inside the server without touching the device. */
    CLIENT_TO_CLIENT,
    /** One copy of a broadcast, multicast or flooded unknown-unicast packet; N receivers count N deliveries. */
    BROADCAST,
    /**
     * From one client to another, dropped because the client-to-client pair policy denies the pair (ADR 0037): a
     * unicast packet, or a broadcast copy withheld from the receiver.
     */
    DENIED
}
