package io.culvert.engine.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A small proxy for interop tests: HTTP CONNECT with Basic authentication on one port and SOCKS5 (username/password,
 * CONNECT) on another, all requiring {@code user}/{@code pass}. The SOCKS port answers the password with RFC 1929's
 * version 1; the port after it answers with version 5, as some proxies do and as OpenVPN 2.7 demands. Target names
 * are looked up in the alias list first, so a client can name a server only the proxy can reach. CLI:
 * {@code TestProxy <listenAddr> <httpPort> <socksPort> <user> <pass> [alias=address ...]}; prints {@code LISTENING},
 * then one line per request. One thread per connection direction; one instance per process.
 */
public final class TestProxy {
    private final String user;
    private final String pass;
    private final Map<String, String> aliases;

    private TestProxy(String user, String pass, Map<String, String> aliases) {
        this.user = user;
        this.pass = pass;
        this.aliases = aliases;
    }

    /** Starts a proxy as a child JVM in {@code ns}, output to {@code log}. */
    static Process start(Netns ns, Path log, String listenAddr, int httpPort, int socksPort, String user, String pass,
            String... aliases) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String[] fixed = {java, "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
            TestProxy.class.getName(), listenAddr, Integer.toString(httpPort), Integer.toString(socksPort), user, pass};
        String[] cmd = new String[fixed.length + aliases.length];
        System.arraycopy(fixed, 0, cmd, 0, fixed.length);
        System.arraycopy(aliases, 0, cmd, fixed.length, aliases.length);
        return ns.spawn(log, cmd);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 5) {
            System.err.println("usage: TestProxy <listenAddr> <httpPort> <socksPort> <user> <pass> [alias=address ...]");
            System.exit(2);
        }
        Map<String, String> aliases = new HashMap<>();
        for (int i = 5; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            aliases.put(kv[0], kv[1]);
        }
        TestProxy proxy = new TestProxy(args[3], args[4], aliases);
        InetAddress listen = InetAddress.getByName(args[0]);
        ServerSocket http = new ServerSocket(Integer.parseInt(args[1]), 50, listen);
        ServerSocket socks = new ServerSocket(Integer.parseInt(args[2]), 50, listen);
        ServerSocket socksStatus5 = new ServerSocket(Integer.parseInt(args[2]) + 1, 50, listen);
        Thread.ofPlatform().start(() -> proxy.acceptLoop(http, proxy::http));
        Thread.ofPlatform().start(() -> proxy.acceptLoop(socks, s -> proxy.socks(s, 1)));
        Thread.ofPlatform().start(() -> proxy.acceptLoop(socksStatus5, s -> proxy.socks(s, 5)));
        System.out.println("LISTENING");
        System.out.flush();
    }

    /** Serves one accepted connection. */
    private interface Handler {
        void serve(Socket s) throws IOException;
    }

    private void acceptLoop(ServerSocket server, Handler handler) {
        while (true) {
            try {
                Socket s = server.accept();
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        handler.serve(s);
                    } catch (IOException e) {
                        say("connection ended: " + e);
                        closeQuietly(s);
                    }
                });
            } catch (IOException e) {
                say("accept failed: " + e);
                return;
            }
        }
    }

    private void http(Socket s) throws IOException {
        String head = readHead(s.getInputStream());
        String[] lines = head.split("\r\n");
        String[] request = lines[0].split(" ");
        String auth = null;
        for (String l : lines) {
            if (l.regionMatches(true, 0, "Proxy-Authorization:", 0, 20)) {
                auth = l.substring(20).strip();
            }
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
        if (request.length != 3 || !request[0].equals("CONNECT")) {
            say("HTTP bad request: " + lines[0]);
            write(s, "HTTP/1.1 400 Bad Request\r\n\r\n");
            s.close();
            return;
        }
        if (!expected.equals(auth)) {
            say("HTTP " + lines[0] + " auth=" + (auth == null ? "none" : "wrong") + " -> 407");
            write(s, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"culvert-test\"\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n");
            s.close();
            return;
        }
        int colon = request[1].lastIndexOf(':');
        Socket upstream = open(request[1].substring(0, colon), Integer.parseInt(request[1].substring(colon + 1)));
        say("HTTP " + lines[0] + " auth=ok -> 200");
        write(s, "HTTP/1.1 200 Connection established\r\n\r\n");
        pipe(s, upstream);
    }

    /** SOCKS5 with username/password; {@code statusVersion} is the version byte of the password status reply. */
    private void socks(Socket s, int statusVersion) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        int version = in.readUnsignedByte();
        byte[] methods = new byte[in.readUnsignedByte()];
        in.readFully(methods);
        boolean offersPassword = new String(methods, StandardCharsets.ISO_8859_1).indexOf(2) >= 0;
        if (version != 5 || !offersPassword) {
            say("SOCKS greeting without username/password -> no acceptable method");
            out.write(new byte[] {5, (byte) 0xFF});
            s.close();
            return;
        }
        out.write(new byte[] {5, 2});
        in.readUnsignedByte();
        String u = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
        String p = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
        boolean ok = u.equals(user) && p.equals(pass);
        out.write(new byte[] {(byte) statusVersion, (byte) (ok ? 0 : 1)});
        if (!ok) {
            say("SOCKS auth=wrong");
            s.close();
            return;
        }
        byte[] req = new byte[4];
        in.readFully(req);
        String host = switch (req[3]) {
            case 1 -> InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
            case 3 -> new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
            default -> throw new IOException("address type " + req[3]);
        };
        int port = in.readUnsignedShort();
        if (req[1] != 1) {
            say("SOCKS command " + req[1] + " not supported");
            out.write(new byte[] {5, 7, 0, 1, 0, 0, 0, 0, 0, 0});
            s.close();
            return;
        }
        Socket upstream;
        try {
            upstream = open(host, port);
        } catch (IOException e) {
            say("SOCKS CONNECT " + host + ":" + port + " failed: " + e);
            out.write(new byte[] {5, 5, 0, 1, 0, 0, 0, 0, 0, 0});
            s.close();
            return;
        }
        say("SOCKS CONNECT " + host + ":" + port + " auth=ok status-version=" + statusVersion);
        out.write(new byte[] {5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        pipe(s, upstream);
    }

    private Socket open(String host, int port) throws IOException {
        Socket up = new Socket();
        up.connect(new InetSocketAddress(aliases.getOrDefault(host, host), port), 5000);
        up.setTcpNoDelay(true);
        return up;
    }

    private static void pipe(Socket a, Socket b) {
        Thread.ofPlatform().daemon().start(() -> copy(a, b));
        Thread.ofPlatform().daemon().start(() -> copy(b, a));
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException ignored) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (b.size() < 16384) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed inside the request head");
            }
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        throw new IOException("request head too large");
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
