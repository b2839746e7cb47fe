package io.culvert.engine.client;

import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.common.DropReason;
import java.util.List;

/** Where a {@link ClientSession} sends its output; implemented by the runner and by test doubles. */
public interface SessionIo {
    /** Sends one OpenVPN packet on the link. */
    void sendLink(byte[] packet);

    /** Writes one IP packet or Ethernet frame to the device. */
    void writeTun(byte[] buf, int off, int len);

    /** Brings the device up with the pushed configuration; called once per session on the session thread. */
    void configureTunnel(PushedConfig config, String cipher, String tlsDescription) throws EngineException;

    /**
     * Applies a {@code PUSH_UPDATE} to the configured tunnel: {@code next} is the whole pushed configuration after it,
     * {@code changes} what changed, for the log. Called on the session thread, only after {@link #configureTunnel}.
     * Errors are the runner's to log: an update never ends the session.
     */
    default void updateTunnel(PushedConfig previous, PushedConfig next, List<String> changes) { }

    void state(ConnectionState state, String detail);

    void log(EngineEvent.Level level, String message);

    /**
     * The server has answered none of the {@code packets} handshake packets sent over the last {@code millis}; called
     * with each retransmission of the opening packets until the first answer.
     */
    default void noAnswer(int packets, long millis) { }

    /** A packet was dropped; counted by the caller. */
    void dropped(DropReason reason);

    /** Whether the link runs over IPv6, whose 20 bytes more of outer header {@code mssfix ... mtu} counts. */
    default boolean ipv6Link() {
        return false;
    }
}
