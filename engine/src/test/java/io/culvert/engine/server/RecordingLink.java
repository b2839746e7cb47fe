package io.culvert.engine.server;

import java.util.ArrayList;
import java.util.List;

/** A {@link LinkOutput} that keeps what the core sends and closes, for tests without sockets. Not thread-safe. */
final class RecordingLink implements LinkOutput {
    /** One packet the core sent. */
    record Sent(LinkEndpoint to, byte[] packet) {}

    final List<Sent> sent = new ArrayList<>();
    final List<LinkEndpoint> closed = new ArrayList<>();

    @Override
    public void send(LinkEndpoint to, byte[] packet) {
        sent.add(new Sent(to, packet));
    }

    @Override
    public void close(LinkEndpoint endpoint) {
        closed.add(endpoint);
    }

    /** Takes the oldest sent packet off the list; fails when there is none. */
    Sent take() {
        if (sent.isEmpty()) {
            throw new AssertionError("the core sent nothing");
        }
        return sent.removeFirst();
    }
}
