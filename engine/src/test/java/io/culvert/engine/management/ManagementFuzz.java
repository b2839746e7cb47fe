package io.culvert.engine.management;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target (ADR 0015) for the management interface as a local client's bytes reach it: the {@link LineReader}
 * splits them into lines and one {@link ManagementSession} (with or without a password, for a client or a server
 * engine) handles each, the password prompt included. Oracles: no exception but the reader's documented
 * {@link LineReader.TooLongException}; a password given as the first line never reaches the journal or the output;
 * every line sent ends in CRLF and holds no other line break.
 */
public final class ManagementFuzz {
    private static final String PASSWORD = "s3cret-Pw9";
    private static final int MAX_LINE = 512;

    private ManagementFuzz() {}

    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length < 1) {
            return;
        }
        int sel = data[0] & 0xFF;
        boolean withPassword = (sel & 1) != 0;
        EventJournal journal = new EventJournal(64);
        StringBuilder sent = new StringBuilder();
        ManagementContext ctx = new ManagementContext(journal, new FakeTarget((sel & 2) != 0), new HoldGate((sel & 4) != 0),
                withPassword ? PASSWORD.getBytes(StandardCharsets.UTF_8) : null, 4242, "1.0",
                InstantSource.fixed(Instant.parse("2026-11-21T12:00:00Z")), ZoneOffset.UTC);
        ManagementSession session = new ManagementSession(ctx, new ManagementSession.Output() {
            @Override
            public void send(String text) {
                sent.append(text);
            }

            @Override
            public void close() {}
        });
        journal.subscribe(session);
        session.start();
        LineReader reader = new LineReader(new ByteArrayInputStream(data, 1, data.length - 1), MAX_LINE);
        List<String> lines = new ArrayList<>();
        try {
            String line;
            while (lines.size() < 64 && (line = reader.next()) != null) {
                if (line.length() > MAX_LINE) {
                    throw new AssertionError("line of " + line.length() + " chars from a " + MAX_LINE + "-byte reader");
                }
                lines.add(line);
                session.onLine(line);
                session.tick(lines.size() * 1000L);
            }
        } catch (LineReader.TooLongException e) {
            // documented: the connection is closed
        } catch (IOException e) {
            throw new AssertionError("a byte array stream failed", e);
        }
        boolean passwordOnlyAsFirstLine = withPassword && !lines.isEmpty() && lines.getFirst().equals(PASSWORD)
                && lines.stream().skip(1).noneMatch(l -> l.contains(PASSWORD));
        if (passwordOnlyAsFirstLine) {
            for (LogRecord r : journal.logs()) {
                if (r.message().contains(PASSWORD)) {
                    throw new AssertionError("the management password reached the journal: " + r.message());
                }
            }
            if (sent.indexOf(PASSWORD) >= 0) {
                throw new AssertionError("the management password was echoed");
            }
        }
        String out = sent.toString();
        if (!out.isEmpty()) {
            if (!out.endsWith("\r\n") && !out.endsWith("ENTER PASSWORD:")) {
                throw new AssertionError("output does not end a line: " + tail(out));
            }
            for (String l : out.split("\r\n")) {
                if (l.indexOf('\n') >= 0 || l.indexOf('\r') >= 0) {
                    throw new AssertionError("a bare line break inside a sent line: " + Arrays.toString(l.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }

    private static String tail(String s) {
        return s.substring(Math.max(0, s.length() - 80));
    }
}
