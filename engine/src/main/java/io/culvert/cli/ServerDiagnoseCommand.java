package io.culvert.cli;

import io.culvert.engine.common.Threads;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code culvert server diagnose A B --management HOST:PORT|SOCKET [--password-file FILE] [--no-probe]}: asks a running
 * Culvert server, through its management interface, why client A cannot reach B (ADR 0044), and prints the answer.
 * Exit status 0 when the path works, 3 when a check failed, 1 when the server could not be asked, 2 for bad usage.
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Asks a running Culvert server (its management interface, 'management' in server.conf) why"
            + " client A (a common name) cannot reach B (a common name or an IP address): the server's checks in order,"
            + " the first failed one being the answer; unless --no-probe, it also probes B and measures the path MTU."},
        exitCodeList = "3:a check on the path failed (the path works: 0; the server could not be asked: 1)")
final class ServerDiagnoseCommand implements Callable<Integer> {
    /** Longest wait for the whole answer: the counting window and a probe take seconds. */
    private static final long ANSWER_SECONDS = 90;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "A", description = "client A (a common name)")
    String from;

    @Parameters(index = "1", arity = "0..1", paramLabel = "B", description = "B (a common name or an IP address)")
    String to;

    @Option(names = "--management", paramLabel = "HOST:PORT|SOCKET", description = "the server's management interface")
    String management;

    @Option(names = "--password-file", paramLabel = "FILE", description = "the management password (its first line)")
    Path passwordFile;

    @Option(names = "--no-probe", description = "only the server's checks: no probe of B, no path MTU")
    boolean noProbe;

    @Override
    public Integer call() {
        if (to == null || management == null) {
            throw Cli.usage(spec, "needs A, B and --management");
        }
        if (from.contains(" ") || to.contains(" ")) {
            throw Cli.usage(spec, "A and B are single words (common names or addresses)");
        }
        return run(from, to, management, passwordFile, !noProbe, Cli.root(spec).out, Cli.root(spec).err);
    }

    static int run(String from, String to, String management, Path passwordFile, boolean probe, PrintStream out,
            PrintStream err) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Threads.platform("culvert-diagnose-timeout").daemon().factory());
        try (SocketChannel ch = connect(management)) {
            // a silent server must not hang the command: closing the channel ends the blocked read
            timer.schedule(() -> closeQuietly(ch), ANSWER_SECONDS, TimeUnit.SECONDS);
            OutputStream os = Channels.newOutputStream(ch);
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                    StandardCharsets.UTF_8));
            StringBuilder command = new StringBuilder();
            if (passwordFile != null) {
                command.append(Files.readAllLines(passwordFile).stream().findFirst().orElse("")).append('\n');
            }
            command.append("diagnose ").append(from).append(' ').append(to).append(probe ? "" : " noprobe").append('\n');
            os.write(command.toString().getBytes(StandardCharsets.UTF_8));
            os.flush();
            boolean fault = false;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("ENTER PASSWORD:")) {
                    line = line.substring("ENTER PASSWORD:".length());
                    if (passwordFile == null) {
                        err.println("culvert server diagnose: the management interface asks for a password"
                                + " (--password-file)");
                        return 1;
                    }
                }
                if (line.isEmpty() || line.startsWith(">") || line.startsWith("SUCCESS: password is correct")) {
                    continue;
                }
                if (line.startsWith("ERROR:")) {
                    err.println("culvert server diagnose: " + line.substring(6).strip()
                            + (line.contains("unknown command") ? " (is it a Culvert server? stock openvpn has no"
                            + " 'diagnose')" : ""));
                    return 1;
                }
                if (line.equals("END")) {
                    os.write("quit\n".getBytes(StandardCharsets.UTF_8));
                    return fault ? 3 : 0;
                }
                fault |= line.contains("[FAULT]");
                out.println(line);
            }
            err.println("culvert server diagnose: the management interface closed before the answer ended");
            return 1;
        } catch (IOException e) {
            err.println("culvert server diagnose: cannot ask " + management + ": " + e.getMessage());
            return 1;
        } finally {
            timer.shutdownNow(); // close() would wait out the pending timeout
        }
    }

    /** {@code HOST:PORT} (TCP) or a Unix socket's path (anything with a '/'). */
    private static SocketChannel connect(String management) throws IOException {
        if (management.contains("/")) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(management));
            return ch;
        }
        int colon = management.lastIndexOf(':');
        if (colon <= 0) {
            throw new IOException("'" + management + "' is neither HOST:PORT nor a socket path");
        }
        int port;
        try {
            port = Integer.parseInt(management.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IOException("'" + management.substring(colon + 1) + "' is not a port");
        }
        String host = management.substring(0, colon).replace("[", "").replace("]", "");
        return SocketChannel.open(new InetSocketAddress(host, port));
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing to end a read
        }
    }
}
