package io.culvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code culvert server diagnose}: what it sends to a management interface and what it prints, against a scripted
 * interface on loopback (the real server's answer is the interop test's).
 */
class ServerDiagnoseCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** A management interface that answers the first command with {@code reply} and records what it was sent. */
    private static ServerSocket fake(List<String> received, String greeting, String... reply) throws IOException {
        ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (Socket s = ss.accept()) {
                OutputStream o = s.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                o.write(greeting.getBytes(StandardCharsets.UTF_8));
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    received.add(line);
                    if (line.startsWith("diagnose")) {
                        o.write((String.join("\r\n", reply) + "\r\n").getBytes(StandardCharsets.UTF_8));
                    } else if (line.equals("s3cret")) {
                        o.write("SUCCESS: password is correct\r\n".getBytes(StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException ignored) {
                // the command closed the connection
            }
        });
        return ss;
    }

    @Test
    void printsTheServersAnswerAndExitsThreeOnAFault() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        try (ServerSocket ss = fake(received, ">INFO:OpenVPN Management Interface Version 5 -- type 'help'\r\n",
                ">LOG:1,I,noise", "alice cannot reach bob: the pair policy denies alice -> bob",
                "1. [ok] A connected: alice is connected", "2. [FAULT] pair policy: the pair policy denies alice -> bob",
                "END")) {
            int code = run("server", "diagnose", "alice", "bob", "--management", "127.0.0.1:" + ss.getLocalPort());
            assertEquals(3, code, err::toString);
            assertEquals("alice cannot reach bob: the pair policy denies alice -> bob\n1. [ok] A connected: alice is"
                    + " connected\n2. [FAULT] pair policy: the pair policy denies alice -> bob\n", out.toString());
            assertEquals("diagnose alice bob", received.getFirst());
        }
    }

    @Test
    void sendsThePasswordFirstAndNoprobeWhenAsked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path pw = java.nio.file.Files.writeString(dir.resolve("pw"), "s3cret\n");
        List<String> received = new CopyOnWriteArrayList<>();
        try (ServerSocket ss = fake(received, "ENTER PASSWORD:", "alice can reach bob through the server",
                "1. [ok] A connected: alice is connected", "END")) {
            int code = run("server", "diagnose", "alice", "bob", "--no-probe", "--password-file", pw.toString(),
                    "--management", "127.0.0.1:" + ss.getLocalPort());
            assertEquals(0, code, err::toString);
            assertEquals("alice can reach bob through the server\n1. [ok] A connected: alice is connected\n",
                    out.toString());
            assertEquals(List.of("s3cret", "diagnose alice bob noprobe"), received.subList(0, 2));
        }
    }

    @Test
    void aStockServerSaysUnknownCommandAndTheCommandSaysWhy() throws Exception {
        try (ServerSocket ss = fake(new CopyOnWriteArrayList<>(), ">INFO:OpenVPN Management Interface Version 5\r\n",
                "ERROR: unknown command, enter 'help' for more options")) {
            assertEquals(1, run("server", "diagnose", "alice", "bob", "--management", "127.0.0.1:" + ss.getLocalPort()));
            assertTrue(err.toString().contains("unknown command, enter 'help' for more options (is it a Culvert server?"
                    + " stock openvpn has no 'diagnose')"), err::toString);
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("server", "diagnose", "alice"));
        assertTrue(err.toString().contains("needs A, B and --management"), err::toString);
        assertEquals(2, run("server", "diagnose", "alice", "bob", "carol", "--management", "x:1"));
        assertEquals(1, run("server", "diagnose", "alice", "bob", "--management", "nowhere"));
        assertTrue(err.toString().contains("'nowhere' is neither HOST:PORT nor a socket path"), err::toString);
    }
}
