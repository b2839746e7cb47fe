package io.culvert.engine.management;

import io.culvert.engine.api.InstanceInfo;
import io.culvert.engine.api.TrafficStats;
import io.culvert.engine.common.CommandLine;
import io.culvert.engine.common.Threads;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One management connection's protocol, without sockets: password prompt, greeting, commands and the real-time
 * notifications it asked for. Lines go to an {@link Output} with CRLF endings, as OpenVPN sends them.
 * Thread-safe: the connection's reader, the engine's events and the bytecount ticker all call in.
 */
public final class ManagementSession implements EventJournal.Subscriber {
    /** OpenVPN closes a connection after this many wrong passwords. */
    static final int PASSWORD_TRIES = 3;
    static final String GREETING = ">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info";
    /**
     * The server status row that counts threads that died of an uncaught exception ({@link Threads#uncaught()}), shown
     * once there is one.
     */
    static final String UNCAUGHT = "culvert_uncaught_exceptions";
    private static final String UNKNOWN = "ERROR: unknown command, enter 'help' for more options";

    /** Where the session's text goes. */
    public interface Output {
        /** Sends text as is (the caller adds line ends). */
        void send(String text);

        /** Closes the connection after what was sent. */
        void close();
    }

    private final ManagementContext ctx;
    private final Output out;
    private boolean authenticated;
    private int passwordFailures;
    private boolean stateOn;
    private boolean logOn;
    private int bytecountSeconds;
    private long nextBytecount;
    private boolean closed;

    public ManagementSession(ManagementContext ctx, Output out) {
        this.ctx = ctx;
        this.out = out;
        this.authenticated = ctx.password() == null;
    }

    /** Sends the password prompt, or the greeting (and the hold notice while the engine waits). */
    public synchronized void start() {
        if (authenticated) {
            greet();
        } else {
            out.send("ENTER PASSWORD:");
        }
    }

    /**
     * Handles one received line (without its line end). A command is logged before it runs, as OpenVPN does, in
     * real time to this connection only. The
     * journal is only called outside this session's lock, so that sessions and the journal never wait for each
     * other in opposite orders.
     */
    public void onLine(String line) {
        boolean auth;
        synchronized (this) {
            if (closed) {
                return;
            }
            auth = authenticated;
        }
        if (!auth) {
            String rejected;
            synchronized (this) {
                rejected = checkPassword(line);
            }
            if (rejected != null) {
                ctx.journal().log(ctx.clock().instant(), "W", rejected);
            }
            return;
        }
        List<String> w = CommandLine.split(line);
        if (w.isEmpty()) {
            return;
        }
        ctx.journal().log(ctx.clock().instant(), "D", "MANAGEMENT: CMD '" + redact(w.getFirst(), line) + "'", this);
        // Kills wait for the engine, whose events take this lock: decide them unlocked, answer under the lock.
        String answer = switch (w.getFirst()) {
            case "kill" -> kill(w);
            case "client-kill" -> clientKill(w);
            case "push-update-broad", "push-update-cid" -> pushUpdate(w);
            case "diagnose" -> diagnose(w);
            default -> null;
        };
        synchronized (this) {
            if (closed) {
                return;
            }
            if (answer != null) {
                lines(List.of(answer.split("\n")));
            } else {
                command(w);
            }
        }
    }

    private void command(List<String> w) {
        String cmd = w.getFirst();
        switch (cmd) {
            case "help" -> lines(ManagementHelp.LINES);
            case "status" -> status(w.size() > 1 ? parseInt(w.get(1), 1) : 1);
            case "state" -> history(w, true);
            case "log" -> history(w, false);
            case "echo" -> echo(w);
            case "bytecount" -> bytecount(w);
            case "hold" -> hold(w);
            case "signal" -> signal(w);
            case "load-stats" -> loadStats();
            case "pid" -> line("SUCCESS: pid=" + ctx.pid());
            case "version" -> version(w);
            case "exit", "quit" -> close();
            default -> line(UNKNOWN);
        }
    }

    /** Emits {@code >BYTECOUNT} lines when this connection's interval has elapsed. */
    public synchronized void tick(long nowMillis) {
        if (closed || !authenticated || bytecountSeconds <= 0 || nowMillis < nextBytecount) {
            return;
        }
        nextBytecount = nowMillis + bytecountSeconds * 1000L;
        if (ctx.target().server()) {
            for (InstanceInfo i : ctx.target().instances()) {
                line(">BYTECOUNT_CLI:" + i.peerId() + "," + i.bytesIn() + "," + i.bytesOut());
            }
        } else {
            TrafficStats s = ctx.target().stats();
            line(">BYTECOUNT:" + s.linkBytesIn() + "," + s.linkBytesOut());
        }
    }

    /** Tells the client the engine waits for {@code hold release}. */
    public synchronized void holdWaiting() {
        if (authenticated && !closed) {
            line(">HOLD:Waiting for hold release:0");
        }
    }

    @Override
    public synchronized void onState(StateRecord state) {
        if (stateOn && authenticated && !closed) {
            line(">STATE:" + state.format());
        }
    }

    @Override
    public synchronized void onLog(LogRecord log) {
        if (logOn && authenticated && !closed) {
            line(">LOG:" + log.format());
        }
    }

    public synchronized boolean closed() {
        return closed;
    }

    private void greet() {
        line(GREETING);
        if (ctx.hold().waiting()) {
            line(">HOLD:Waiting for hold release:0");
        }
    }

    /** Never logs what was typed; returns a log message when the connection is rejected. */
    private String checkPassword(String line) {
        byte[] given = line.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(given, ctx.password())) {
            authenticated = true;
            line("SUCCESS: password is correct");
            greet();
        } else if (++passwordFailures >= PASSWORD_TRIES) {
            close();
            return "MANAGEMENT: client connection rejected after " + PASSWORD_TRIES + " failed password attempts";
        } else {
            out.send("ENTER PASSWORD:");
        }
        return null;
    }

    private void status(int version) {
        if (ctx.target().server()) {
            Map<String, Long> counters = new HashMap<>(ctx.target().counters());
            long uncaught = Threads.uncaught();
            if (uncaught > 0) { // a healthy server's status keeps stock OpenVPN's shape
                counters.put(UNCAUGHT, uncaught);
            }
            lines(StatusReport.server(version, ctx.target().instances(), ctx.target().tap(), ctx.title(),
                    ctx.clock().instant(), ctx.zone(), counters));
        } else {
            lines(StatusReport.client(ctx.target().stats(), ctx.clock().instant(), ctx.zone()));
        }
    }

    /** {@code state|log [on|off] [N|all]}: switches real-time output and/or prints history then END. */
    private void history(List<String> w, boolean state) {
        String what = state ? "state" : "log";
        if (w.size() > 3) {
            line("ERROR: too many parameters");
            return;
        }
        Boolean realtime = null;
        int count = w.size() == 1 ? 1 : 0;
        for (String p : w.subList(1, w.size())) {
            switch (p) {
                case "on" -> realtime = true;
                case "off" -> realtime = false;
                case "all" -> count = Integer.MAX_VALUE;
                default -> {
                    int n = parseInt(p, -1);
                    if (n < 0) {
                        line("ERROR: " + what + " parameter must be 'on' or 'off' or some number n or 'all'");
                        return;
                    }
                    count = n;
                }
            }
        }
        if (realtime != null) {
            if (state) {
                stateOn = realtime;
            } else {
                logOn = realtime;
            }
            line("SUCCESS: real-time " + what + " notification set to " + (realtime ? "ON" : "OFF"));
        }
        if (count > 0) {
            List<String> entries = state
                    ? ctx.journal().states().stream().map(StateRecord::format).toList()
                    : ctx.journal().logs().stream().map(LogRecord::format).toList();
            lines(entries.subList(Math.max(0, entries.size() - count), entries.size()));
            line("END");
        }
    }

    /** Culvert keeps no echo buffer: accept the switches, print an empty history. */
    private void echo(List<String> w) {
        for (String p : w.subList(1, w.size())) {
            if (p.equals("on") || p.equals("off")) {
                line("SUCCESS: real-time echo notification set to " + p.toUpperCase(Locale.ROOT));
            } else {
                line("END");
            }
        }
    }

    private void bytecount(List<String> w) {
        if (w.size() < 2) {
            line("ERROR: the 'bytecount' command requires at least 1 parameter");
            return;
        }
        bytecountSeconds = Math.max(0, parseInt(w.get(1), 0));
        nextBytecount = ctx.clock().millis() + bytecountSeconds * 1000L;
        line("SUCCESS: bytecount interval changed");
    }

    private String kill(List<String> w) {
        if (w.size() < 2) {
            return "ERROR: the 'kill' command requires at least 1 parameter";
        }
        if (!ctx.target().server()) {
            return "ERROR: The 'kill' command is not supported by the current daemon mode";
        }
        String who = w.get(1);
        boolean byAddress = looksLikeAddress(who);
        int killed = 0;
        for (InstanceInfo i : ctx.target().instances()) {
            boolean match = byAddress ? who.equals(i.realAddress()) : who.equals(i.commonName());
            if (match && ctx.target().kill(i.peerId())) {
                killed++;
            }
        }
        if (byAddress) {
            return killed > 0 ? "SUCCESS: " + killed + " client(s) at address " + who + " killed"
                    : "ERROR: client at address " + who + " not found";
        }
        return killed > 0 ? "SUCCESS: common name '" + who + "' found, " + killed + " client(s) killed"
                : "ERROR: common name '" + who + "' not found";
    }

    /** {@code a.b.c.d:port} or {@code [v6]:port}, as the status output prints real addresses. */
    static boolean looksLikeAddress(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || !s.substring(colon + 1).matches("[0-9]{1,5}")) {
            return false;
        }
        String host = s.substring(0, colon);
        return host.matches("[0-9.]+") || host.matches("\\[[0-9a-fA-F:.]+]");
    }

    /**
     * {@code push-update-broad "options"} and {@code push-update-cid CID "options"} (OpenVPN 2.7), answered as 2.7
     * answers: {@code SUCCESS: N client(s) updated} then {@code SUCCESS: push-update command succeeded}, or
     * {@code ERROR: no client updated} then {@code ERROR: push-update command failed}; lines joined by LF.
     */
    private String pushUpdate(List<String> w) {
        String cmd = w.getFirst();
        boolean broad = cmd.equals("push-update-broad");
        int need = broad ? 1 : 2;
        if (w.size() < need + 1) {
            return "ERROR: the '" + cmd + "' command requires " + need + " parameter" + (need > 1 ? "s" : "");
        }
        if (!ctx.target().server()) {
            return "ERROR: The '" + cmd + "' command is not supported by the current daemon mode";
        }
        long cid = -1;
        if (!broad) {
            cid = parseLong(w.get(1));
            if (cid < 0 || cid > Integer.MAX_VALUE) {
                return "ERROR: cannot parse CID\nERROR: push-update-cid fail during cid parsing";
            }
        }
        String options = w.get(need);
        int sent;
        try {
            sent = ctx.target().pushUpdate(cid, options);
        } catch (UnsupportedOperationException e) {
            return "ERROR: The '" + cmd + "' command is not supported by the current daemon mode";
        } catch (IllegalArgumentException e) {
            return "ERROR: " + e.getMessage() + "\nERROR: push-update command failed";
        }
        return sent > 0 ? "SUCCESS: " + sent + " client(s) updated\nSUCCESS: push-update command succeeded"
                : "ERROR: no client updated\nERROR: push-update command failed";
    }

    /**
     * {@code diagnose A B [noprobe]}, Culvert's own (ADR 0044; stock OpenVPN answers "unknown command"): the server's
     * checks of the path from client A to B (a common name or an IP address), one line each after the summary, then
     * {@code END}; without {@code noprobe} the server also probes B and measures the path MTU. Takes seconds.
     */
    private String diagnose(List<String> w) {
        if (w.size() < 3 || w.size() > 4 || w.size() == 4 && !w.get(3).equals("noprobe")) {
            return "ERROR: usage: diagnose A B [noprobe]";
        }
        if (!ctx.target().server()) {
            return "ERROR: The 'diagnose' command is not supported by the current daemon mode";
        }
        try {
            io.culvert.engine.api.PathCheck check = ctx.target().diagnose(w.get(1), w.get(2), w.size() == 3);
            return String.join("\n", check.lines()) + "\nEND";
        } catch (UnsupportedOperationException e) {
            return "ERROR: The 'diagnose' command is not supported by the current daemon mode";
        } catch (io.culvert.engine.api.EngineException e) {
            return "ERROR: diagnose failed: " + e.detail();
        }
    }

    private String clientKill(List<String> w) {
        if (w.size() < 2) {
            return "ERROR: the 'client-kill' command requires at least 1 parameter";
        }
        if (!ctx.target().server()) {
            return "ERROR: The 'client-kill' command is not supported by the current daemon mode";
        }
        long cid = parseLong(w.get(1));
        boolean ok = cid >= 0 && cid <= Integer.MAX_VALUE && ctx.target().kill((int) cid);
        return ok ? "SUCCESS: client-kill command succeeded" : "ERROR: client-kill command failed";
    }

    private void hold(List<String> w) {
        if (w.size() == 1) {
            line("SUCCESS: hold=" + (ctx.hold().hold() ? 1 : 0));
            return;
        }
        switch (w.get(1)) {
            case "on" -> {
                ctx.hold().setHold(true);
                line("SUCCESS: hold flag set to ON");
            }
            case "off" -> {
                ctx.hold().setHold(false);
                line("SUCCESS: hold flag set to OFF");
            }
            case "release" -> {
                ctx.hold().release();
                line("SUCCESS: hold release succeeded");
            }
            default -> line("ERROR: bad hold command parameter");
        }
    }

    private void signal(List<String> w) {
        if (w.size() < 2) {
            line("ERROR: the 'signal' command requires at least 1 parameter");
            return;
        }
        ManagementTarget.Signal s;
        try {
            s = ManagementTarget.Signal.valueOf(w.get(1));
        } catch (IllegalArgumentException e) {
            line("ERROR: signal '" + w.get(1) + "' is not a known signal type");
            return;
        }
        line("SUCCESS: signal " + s + " thrown");
        ctx.target().signal(s);
    }

    private void loadStats() {
        long in = 0;
        long outBytes = 0;
        List<InstanceInfo> list = ctx.target().server() ? ctx.target().instances() : List.of();
        if (ctx.target().server()) {
            for (InstanceInfo i : list) {
                in += i.bytesIn();
                outBytes += i.bytesOut();
            }
        } else {
            TrafficStats s = ctx.target().stats();
            in = s.linkBytesIn();
            outBytes = s.linkBytesOut();
        }
        line("SUCCESS: nclients=" + list.size() + ",bytesin=" + in + ",bytesout=" + outBytes);
    }

    private void version(List<String> w) {
        if (w.size() > 1) {
            line("SUCCESS: Management client version set to " + parseInt(w.get(1), 0));
            return;
        }
        line("OpenVPN Version: " + ctx.title());
        line("Management Version: 5");
        line("END");
    }

    private void close() {
        closed = true;
        out.close();
    }

    private void lines(List<String> ls) {
        StringBuilder s = new StringBuilder();
        for (String l : ls) {
            s.append(oneLine(l)).append("\r\n");
        }
        out.send(s.toString());
    }

    private void line(String l) {
        out.send(oneLine(l) + "\r\n");
    }

    /**
     * The text with every CR and LF turned into '?': a line can echo what the client typed (a CR in the middle of a
     * command line is part of it), and a line break there would let it forge a line of our output.
     */
    private static String oneLine(String l) {
        return l.indexOf('\r') < 0 && l.indexOf('\n') < 0 ? l : l.replace('\r', '?').replace('\n', '?');
    }

    /** Commands that carry secrets are logged by name only. */
    private static String redact(String cmd, String line) {
        return switch (cmd) {
            case "password", "username", "cr-response", "needstr", "auth-token" -> cmd + " [...]";
            default -> line;
        };
    }

    private static int parseInt(String s, int fallback) {
        long v = parseLong(s);
        return v < 0 || v > Integer.MAX_VALUE ? fallback : (int) v;
    }

    private static long parseLong(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(s);
    }
}
