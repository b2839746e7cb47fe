package io.culvert.engine.common;

/**
 * Why a packet was dropped: an incoming one that did not pass, or an outgoing one the local stack refused. Every
 * drop on the packet path is counted per reason and never ends a session. Instances of this enum are immutable.
 */
public enum DropReason {
    /** Shorter than the smallest valid packet of its kind. */
    TRUNCATED,
    /** Larger than any packet this side accepts. */
    OVERSIZED,
    /** Opcode outside the known range or not valid for this role. */
    BAD_OPCODE,
    /** Fields do not parse (ack count, lengths, reserved values). */
    MALFORMED,
    /** tls-auth HMAC or tls-crypt tag did not verify. */
    CONTROL_AUTH_FAILED,
    /** Replay id seen before or outside the window. */
    REPLAY,
    /** Session id does not match the one this session talks to. */
    WRONG_SESSION,
    /** Data packet for a key id with no usable key. */
    NO_KEY,
    /** AEAD tag or CBC HMAC did not verify. */
    DECRYPT_FAILED,
    /** Compression framing byte not allowed by the negotiated mode. */
    BAD_COMPRESSION,
    /** Packet was valid but arrives in a state where it makes no sense. */
    UNEXPECTED,
    /** Receive window is full or the id is too far ahead. */
    WINDOW_FULL,
    /**
     * Outgoing: the local network stack refused to send the datagram (a firewall's EPERM, ENOBUFS, EAGAIN,
     * ENETUNREACH or EHOSTUNREACH while an interface flaps); lost as on a lossy link, the session carries on.
     */
    SEND_FAILED,
    /**
     * Outgoing: a tunnel packet to the server's own address and port over the link's protocol, which would loop
     * through the tunnel for ever (OpenVPN's recursive-routing check; {@code allow-recursive-routing} turns it off).
     */
    RECURSIVE_ROUTING,
    /**
     * A valid packet the user-space offload code does not handle: IPv4 options, IPv6 extension headers, a fragment,
     * a non-IP frame or a GSO type other than TCPv4, TCPv6 and UDP L4 where segmentation needs one of those.
     */
    OFFLOAD_UNSUPPORTED,
    /**
     * A client-to-client packet between two clients the server's pair policy ({@code culvert-c2c-deny},
     * {@code culvert-c2c-allow-only}) keeps apart; also counted per pair as a denied flow.
     */
    POLICY_DENIED
}
