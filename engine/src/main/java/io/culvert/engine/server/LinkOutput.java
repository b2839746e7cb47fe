package io.culvert.engine.server;

/**
 * Where the I/O-free {@link ServerCore} puts what goes onto the link: the runner implements it, queues UDP
 * datagrams and sends them in one batch at the end of each wake-up, and reports a failed send back through
 * {@link ServerCore#sendFailed}. Called only on the server thread.
 */
interface LinkOutput {
    /** Sends {@code packet} (which the caller no longer touches) to {@code to}, now or at the end of this batch. */
    void send(LinkEndpoint to, byte[] packet);

    /**
     * Sends {@code buf[off, off + len)} to {@code to}, now or at the end of this batch; the bytes are the caller's
     * again on return (the runner's output copies them; this default copies them into a packet of their own).
     */
    default void send(LinkEndpoint to, byte[] buf, int off, int len) {
        send(to, java.util.Arrays.copyOfRange(buf, off, off + len));
    }

    /** Closes the endpoint's own connection (TCP); nothing for UDP, whose socket is shared. */
    void close(LinkEndpoint endpoint);
}
