package io.culvert.engine.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code tcpdump} in one namespace that records the TCP SYN and SYN-ACK segments of connections to or from one port
 * on every interface, so that a test can read the MSS option each TCP endpoint was actually offered after every
 * clamp on the way: the inbound handshake segments on the tunnel device. Not thread-safe; one test drives it.
 */
public final class SynCapture implements AutoCloseable {
    private static final Pattern LINE = Pattern.compile("\\s(In|Out)\\s+IP6?\\s.*Flags \\[(S\\.?)].*?mss (\\d+)");

    /** One captured handshake segment, parsed from tcpdump's line; immutable. */
    public record Syn(boolean inbound, boolean synAck, int mss) { }

    private final OpenvpnProcess tcpdump;

    private SynCapture(OpenvpnProcess tcpdump) {
        this.tcpdump = tcpdump;
    }

    /** Starts capturing in {@code ns} and waits until tcpdump listens; the log goes to {@code dir}. */
    public static SynCapture start(Netns ns, Path dir, String tag, int port) {
        OpenvpnProcess p = OpenvpnProcess.command(ns, dir, dir.resolve(tag + "-tcpdump.log"), "tcpdump", "-i", "any", "-nn",
                "-l", "tcp port " + port + " and tcp[tcpflags] & tcp-syn != 0");
        try {
            p.awaitLine("listening on", Duration.ofSeconds(10));
        } catch (AssertionError | RuntimeException e) {
            p.close();
            throw e;
        }
        return new SynCapture(p);
    }

    /** Stops tcpdump (it flushes on SIGTERM) and returns every handshake segment it saw. */
    public List<Syn> stop() {
        tcpdump.stop();
        return parse(tcpdump.log());
    }

    /** Parses tcpdump 4.99 {@code -i any} lines: direction, {@code Flags [S]} or {@code [S.]}, {@code mss N}. */
    public static List<Syn> parse(String log) {
        return log.lines().map(LINE::matcher).filter(Matcher::find)
                .map(m -> new Syn(m.group(1).equals("In"), m.group(2).equals("S."), Integer.parseInt(m.group(3)))).toList();
    }

    /** The largest MSS offered to this namespace's endpoint in inbound SYNs ({@code synAck} false) or SYN-ACKs. */
    public static OptionalInt inboundMss(List<Syn> syns, boolean synAck) {
        return syns.stream().filter(s -> s.inbound() && s.synAck() == synAck).mapToInt(Syn::mss).max();
    }

    /** The capture's log tail, for failure messages. */
    public String logTail() {
        return tcpdump.logTail(20);
    }

    @Override
    public void close() {
        tcpdump.close();
    }
}
