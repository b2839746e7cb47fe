package io.culvert.engine.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A connected link to one peer carrying whole OpenVPN packets. {@link #send} is called by one thread and
 * {@link #receive} by another; {@link #close} may come from any thread and wakes a blocked receiver.
 */
public interface Transport extends AutoCloseable {
    /** Largest OpenVPN packet either transport accepts. */
    int MAX_PACKET = 65535;

    /**
     * Sends one packet. Throws {@link SendRefusedException} when the local stack refused this one datagram (the
     * link is still up: count it and carry on); any other {@link IOException} means the link is gone.
     */
    void send(byte[] packet) throws IOException;

    /** Blocks until a packet arrives; returns its length, or -1 once closed. */
    int receive(byte[] buf) throws IOException;

    InetSocketAddress remote();

    boolean isTcp();

    @Override
    void close();
}
