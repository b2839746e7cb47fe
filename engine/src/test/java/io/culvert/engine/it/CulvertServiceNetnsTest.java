package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ./culvert service} as root in the client namespace, with its socket in a temporary folder and a
 * temporary group; an unprivileged user (created for the test, in that group) drives it through the socket with
 * {@link ServiceProbe} under {@code setpriv}: the profile connects to a stock openvpn server in the other
 * namespace, CONNECTED arrives with the assigned address, a ping crosses the tunnel, the disconnect stops it. A user
 * outside the group is refused, by the kernel (socket mode) and by the service (account database); nothing the
 * service wrote is world-readable; a member holding all the connections it may does not lock root out. Runs twice: culvertd as root, and as its unit runs it (a system user with only
 * CAP_NET_ADMIN).
 */
@NetnsTest(tools = {"setpriv", "unshare", "mknod", "groupadd", "useradd", "userdel", "groupdel"})
class CulvertServiceNetnsTest {
    private static final Duration STEP = Duration.ofSeconds(30);

    @Test
    void unprivilegedMemberConnectsThroughCulvertdAndOutsidersAreRefused(@TempDir Path dir) throws Exception {
        run(dir, false);
    }

    /**
     * The same, with culvertd started the way its systemd unit starts it: as a system user whose group is the
     * service's group, with CAP_NET_ADMIN as its only (ambient and bounding) capability and no-new-privs, in a
     * runtime folder prepared like {@code RuntimeDirectory=culvert} (0750, owned by that user).
     */
    @Test
    void culvertdWorksWithOnlyCapNetAdminAsItsUnitGrants(@TempDir Path dir) throws Exception {
        run(dir, true);
    }

    /**
     * A non-root admin runs the server manager over culvertd (a system user with only CAP_NET_ADMIN): the server's
     * folder is in the admin's own 0700 folder, which the service cannot read, so everything reaches the service
     * inline and the service keeps its copies in a 0700 state folder of its own. A stock openvpn client in another
     * namespace connects with the exported profile, gets its static address from the ccd entry and pings through;
     * after a revoke (the new CRL sent with updateServerFiles) it is dropped and cannot connect again; stopping the
     * server removes the state folder.
     */
    @Test
    void nonRootAdminRunsAServerFromItsOwnPrivateFolderAndRevocationReachesIt(@TempDir Path dir) throws Exception {
        String tag = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 999_999));
        String group = "cvtg" + tag;
        String adminGroup = "cvta" + tag;
        String user = "cvtu" + tag;
        String serviceUser = "cvts" + tag;
        Path runtime = Files.createTempDirectory("culvertd-");
        Netns srv = null;
        Netns cli = null;
        try {
            srv = Netns.create("srv");
            cli = Netns.create("cli");
            VethLink link = Netns.link(srv, cli);
            host("groupadd", group);
            host("groupadd", adminGroup);
            host("useradd", "--system", "--no-create-home", "--no-user-group", "--gid", group, "--groups", adminGroup,
                    "--shell", "/usr/sbin/nologin", user);
            host("useradd", "--system", "--no-create-home", "--no-user-group", "--gid", group, "--shell", "/usr/sbin/nologin",
                    serviceUser);
            Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx--x--x"));
            Path run = Files.createDirectory(runtime.resolve("run"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
            host("chown", serviceUser + ":" + group, run.toString());
            Path state = Files.createDirectory(runtime.resolve("state"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            host("chown", serviceUser + ":" + group, state.toString());
            Path home = Files.createDirectory(runtime.resolve("home"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            host("chown", user + ":" + group, home.toString());
            Path socket = run.resolve("culvertd.sock");

            List<String> cmd = new ArrayList<>(asServiceUser(runtime, serviceUser, group));
            cmd.addAll(List.of(Staged.java(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-jar",
                    Staged.dir().resolve("culvert-engine.jar").toString(), "service", "--socket", socket.toString(),
                    "--group", group, "--admin-group", adminGroup, "--state-dir", state.toString()));
            OpenvpnProcess service = OpenvpnProcess.command(srv, Staged.dir(), dir.resolve("culvertd.log"),
                    cmd.toArray(String[]::new));
            service.awaitLine("culvertd listening", STEP);

            try (Probe admin = Probe.start(ServerManagerProbe.class, List.of(socket.toString(), home.toString(), link.addrA(), "1194"),
                    "--reuid=" + user, "--regid=" + group, "--init-groups")) {
                assertEquals("HELLO " + user + " " + uidOf(user) + " ADMIN", admin.next("HELLO"), admin::transcript);
                assertEquals("STARTED " + link.addrA() + ":1194/udp", admin.next("STARTED"),
                        () -> admin.transcript() + "\n" + service.logTail(30));
                Path hosted;
                try (Stream<Path> folders = Files.list(state.resolve("servers"))) {
                    hosted = folders.toList().getFirst();
                }
                assertTrue(hosted.getFileName().toString().matches("s[0-9a-f]{32}"), "an unguessable handle id: " + hosted);
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(hosted)));
                assertEquals(serviceUser, Files.getOwner(hosted).getName());
                assertEquals("ifconfig-push 10.79.0.50 255.255.255.0\n", Files.readString(hosted.resolve("ccd/alice")));
                assertEquals(Files.readString(home.resolve("servers/office/pki/crl.pem")), Files.readString(hosted.resolve("crl.pem")));
                assertEquals(List.of(), worldAccessible(state), "the service's copies are private");

                Path profile = Files.copy(home.resolve("alice.ovpn"), dir.resolve("alice.ovpn"));
                OpenvpnProcess client = OpenvpnProcess.stock(cli, profile, dir).awaitInitialized(STEP);
                assertTrue(client.log().contains("10.79.0.50"), () -> "static address from the ccd entry:\n" + client.logTail(30));
                PingResult ping = cli.ping("10.79.0.1", 3);
                assertTrue(ping.noLoss(), () -> "ping through the hosted server:\n" + ping.output() + "\n" + service.logTail(30));
                admin.next("INSTANCE CONNECTED alice");

                // The admin gives alice a route while she is connected: a client that announced PUSH_UPDATE (2.7)
                // gets it at once through culvertd; a 2.6 client keeps its tunnel and gets it at its next connection.
                admin.send("routes alice 10.78.0.0/24\n");
                assertEquals("ROUTES alice", admin.next("ROUTES"), admin::transcript);
                if (StockOpenvpn.peerIs27OrLater()) {
                    Netns clientNs = cli;
                    java.util.function.BooleanSupplier routed = () -> clientNs.exec(STEP, "ip", "-4", "route", "show").output()
                            .lines().anyMatch(l -> l.startsWith("10.78.0.0/24 ") && l.contains("dev tun0"));
                    long until = System.nanoTime() + STEP.toNanos();
                    while (!routed.getAsBoolean() && System.nanoTime() < until) {
                        Thread.sleep(200);
                    }
                    assertTrue(routed.getAsBoolean(),
                            () -> "the route the admin set never reached the connected 2.7 client:\n" + client.logTail(20)
                                    + "\n" + service.logTail(20));
                }
                assertTrue(cli.ping("10.79.0.1", 2).noLoss(), () -> "the tunnel stays up:\n" + client.logTail(20));

                admin.send("revoke alice\n");
                // The KICKED event may arrive before or after revoke's own answer.
                List<String> revoked = admin.nextAll("REVOKED", "INSTANCE KICKED");
                assertEquals("REVOKED alice true", revoked.get(0), admin::transcript);
                assertEquals("INSTANCE KICKED alice certificate revoked", revoked.get(1), admin::transcript);
                assertTrue(client.process().waitFor(30, TimeUnit.SECONDS), () -> "HALT ends the client:\n" + client.logTail(20));
                assertTrue(client.log().contains("server-pushed-halt"), client::log);

                Files.move(client.logFile(), dir.resolve("alice-first.log"));
                OpenvpnProcess again = OpenvpnProcess.stock(cli, profile, dir);
                try {
                    Thread.sleep(12_000);
                    assertFalse(again.log().contains(OpenvpnProcess.READY), () -> "a revoked client connected again:\n" + again.logTail(30));
                    assertTrue(service.log().contains("is revoked"), () -> service.logTail(30));
                } finally {
                    again.stop();
                }

                admin.send("stop\n");
                assertEquals("STOPPED true", admin.next("STOPPED"), admin::transcript);
                long end = System.nanoTime() + STEP.toNanos();
                while (Files.exists(hosted) && System.nanoTime() < end) {
                    Thread.sleep(100);
                }
                assertFalse(Files.exists(hosted), "the state folder goes with the server");
                assertEquals(0, admin.exitCode(), admin::transcript);
            }
            service.stop();
            assertEquals(0, service.process().exitValue(), () -> service.logTail(30));
        } finally {
            if (cli != null) {
                cli.close();
            }
            if (srv != null) {
                srv.close();
            }
            hostQuietly("userdel", user);
            hostQuietly("userdel", serviceUser);
            hostQuietly("groupdel", adminGroup);
            hostQuietly("groupdel", group);
            try (Stream<Path> s = Files.walk(runtime)) {
                s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * The command prefix that runs culvertd as its unit does: {@code serviceUser}, only CAP_NET_ADMIN, no-new-privs, with
     * a private /dev/net/tun node (0660, {@code group}) bind-mounted in a private mount namespace.
     */
    private static List<String> asServiceUser(Path runtime, String serviceUser, String group) {
        Path tun = runtime.resolve("tun");
        host("mknod", "-m", "0660", tun.toString(), "c", "10", "200");
        host("chgrp", group, tun.toString());
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind " + tun + " /dev/net/tun && exec \"$@\"", "sh"));
        cmd.addAll(List.of("setpriv", "--reuid=" + serviceUser, "--regid=" + group, "--init-groups",
                "--inh-caps=-all,+net_admin", "--ambient-caps=-all,+net_admin", "--bounding-set=-all,+net_admin",
                "--no-new-privs", "--"));
        return cmd;
    }

    private void run(Path dir, boolean asUnit) throws Exception {
        String tag = Integer.toString(ThreadLocalRandom.current().nextInt(100_000, 999_999));
        String group = "cvtg" + tag;
        String user = "cvtu" + tag;
        String serviceUser = "cvts" + tag;
        Path runtime = Files.createTempDirectory("culvertd-");
        try (InteropRig rig = InteropRig.start(Scenario.UDP_TLS_CRYPT_GCM, dir)) {
            host("groupadd", group);
            host("useradd", "--system", "--no-create-home", "--no-user-group", "--gid", group, "--shell", "/usr/sbin/nologin", user);
            Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx--x--x"));
            Path socket = runtime.resolve("run/culvertd.sock");

            List<String> cmd = new ArrayList<>();
            if (asUnit) {
                host("useradd", "--system", "--no-create-home", "--no-user-group", "--gid", group, "--shell", "/usr/sbin/nologin",
                        serviceUser);
                Files.createDirectory(runtime.resolve("run"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
                host("chown", serviceUser + ":" + group, runtime.resolve("run").toString());
                // /dev/net/tun is 0666 on Debian but 0600 on this build container: the service user gets a private
                // node (0660, its group) bind-mounted over it in a private mount namespace; the host's node is untouched.
                cmd.addAll(asServiceUser(runtime, serviceUser, group));
            }
            cmd.addAll(List.of(Staged.java(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-jar",
                    Staged.dir().resolve("culvert-engine.jar").toString(),
                    "service", "--socket", socket.toString(), "--group", group, "--admin-group", "cvt-no-admins-" + tag,
                    "--state-dir", runtime.resolve("state").toString()));
            OpenvpnProcess service = OpenvpnProcess.command(rig.clientNs(), Staged.dir(), dir.resolve("culvertd.log"),
                    cmd.toArray(String[]::new));
            service.awaitLine("culvertd listening", STEP);

            try (Probe member = Probe.start(socket, "--reuid=" + user, "--regid=" + group, "--init-groups")) {
                assertEquals("HELLO " + user + " " + uidOf(user) + " OPERATOR", member.next("HELLO"), member::transcript);
                member.send(Files.readString(rig.clientConfig()) + "END\n");
                member.next("STARTED");
                String connected = member.next("CONNECTED");
                assertTrue(connected.matches("CONNECTED 10\\.77\\.0\\.\\d+/24 \\S+"), connected);
                member.next("STATE CONNECTED");
                PingResult ping = rig.pingServer(3);
                assertTrue(ping.noLoss(), () -> "ping through the service's tunnel:\n" + ping.output() + "\n" + service.logTail(30));

                member.send("disconnect\n");
                assertEquals("STOPPED true DISCONNECTED", member.next("STOPPED"), member::transcript);
                assertEquals(0, member.exitCode(), member::transcript);
            }
            assertTrue(service.log().contains(user + " (uid " + uidOf(user) + ") connected as OPERATOR"), () -> service.logTail(30));

            // Lock-out, with the kernel's credentials: the member holds all the connections it may, root still gets in.
            try (Probe hog = Probe.start(ServiceProbe.class, List.of(socket.toString(), "hold"),
                    "--reuid=" + user, "--regid=" + group, "--init-groups")) {
                assertEquals("HELD 8", hog.next("HELD"), hog::transcript);
                String refused = hog.next("REFUSED");
                assertTrue(refused.endsWith("BUSY: at most 8 connections per user"), refused);
                try (io.culvert.engine.remote.RemoteEngine asRoot = io.culvert.engine.remote.RemoteEngine.connect(socket,
                        "netns-test", java.time.InstantSource.system())) {
                    assertEquals("ADMIN", asRoot.identity().role(), "root connects while an operator holds its maximum");
                    assertEquals(0L, asRoot.identity().uid());
                }
            }

            try (Probe outsider = Probe.start(socket, "--reuid=nobody", "--regid=nogroup", "--clear-groups")) {
                String refused = outsider.next("REFUSED");
                assertTrue(refused.startsWith("REFUSED PERMISSION_DENIED") && refused.contains("Permission denied"),
                        () -> "the socket's mode keeps non-members out: " + refused);
                assertEquals(3, outsider.exitCode());
            }
            try (Probe stale = Probe.start(socket, "--reuid=nobody", "--regid=nogroup", "--groups=" + gidOf(group))) {
                String refused = stale.next("REFUSED");
                assertTrue(refused.startsWith("REFUSED PERMISSION_DENIED") && refused.contains("nobody is not a member of group " + group),
                        () -> "a process carrying the group without being a member is refused by the service: " + refused);
                assertEquals(3, stale.exitCode());
            }
            assertTrue(service.log().contains("refused nobody"), () -> service.logTail(30));

            List<String> exposed = worldAccessible(runtime.resolve("run"));
            assertEquals(List.of(), exposed, "files culvertd wrote that others can read");
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
            assertEquals(group, Files.getAttribute(socket, "posix:group", LinkOption.NOFOLLOW_LINKS).toString());

            service.stop();
            assertEquals(0, service.process().exitValue(), () -> service.logTail(30));
        } finally {
            hostQuietly("userdel", user);
            if (asUnit) {
                hostQuietly("userdel", serviceUser);
            }
            hostQuietly("groupdel", group);
            try (Stream<Path> s = Files.walk(runtime)) {
                s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<String> worldAccessible(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if ((mode & 0007) != 0) {
                    out.add(p + " " + Integer.toOctalString(mode));
                }
            }
        }
        return out;
    }

    private static long uidOf(String user) {
        return Long.parseLong(host("id", "-u", user).strip());
    }

    private static long gidOf(String group) {
        return Long.parseLong(host("getent", "group", group).split(":")[2]);
    }

    private static String host(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void hostQuietly(String... cmd) {
        try {
            host(cmd);
        } catch (RuntimeException e) {
            System.err.println("cleanup: " + e.getMessage());
        }
    }

    /** {@link ServiceProbe} under setpriv, its stdout as a queue of lines. */
    /**
     * A world-readable copy of the engine jar, its lib/ and the test classes, for the unprivileged users that run the
     * service and the probes: they may not be able to enter the checkout (a clone in a 0700 temporary folder).
     */
    private static final class Staged {
        private static Path dir;

        static synchronized Path dir() throws IOException {
            if (dir == null) {
                Path target = OpenvpnProcess.repoRoot().resolve("engine/target");
                Path d = Files.createTempDirectory("culvert-stage-");
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                for (String part : List.of("culvert-engine.jar", "lib", "test-classes")) {
                    copyTree(target.resolve(part), d.resolve(part));
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(d)));
                dir = d;
            }
            return dir;
        }

        static String java() {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }

        private static void copyTree(Path from, Path to) throws IOException {
            try (Stream<Path> s = Files.walk(from)) {
                for (Path p : s.toList()) {
                    Path t = to.resolve(from.relativize(p).toString());
                    Files.copy(p, t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }

        private static void deleteTree(Path root) {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort at exit
            }
        }
    }

    private static final class Probe implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder transcript = new StringBuilder();

        private Probe(Process process) {
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            });
        }

        static Probe start(Path socket, String... setpriv) throws IOException {
            return start(ServiceProbe.class, List.of(socket.toString()), setpriv);
        }

        static Probe start(Class<?> main, List<String> args, String... setpriv) throws IOException {
            Path engine = Staged.dir();
            List<String> cmd = new ArrayList<>(List.of("setpriv"));
            cmd.addAll(List.of(setpriv));
            cmd.addAll(List.of("--", Staged.java(), "-XX:-UsePerfData", "-Xshare:off", "-Djava.io.tmpdir=/tmp",
                    "-cp", engine.resolve("culvert-engine.jar") + ":" + engine.resolve("test-classes"),
                    main.getName()));
            cmd.addAll(args);
            return new Probe(new ProcessBuilder(cmd).redirectErrorStream(true).directory(Path.of("/").toFile()).start());
        }

        void send(String text) throws IOException {
            Writer w = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            w.write(text);
            w.flush();
        }

        /** The next line starting with {@code prefix}, skipping others. */
        String next(String prefix) throws InterruptedException {
            long end = System.nanoTime() + STEP.toNanos();
            while (System.nanoTime() < end) {
                String l = lines.poll(200, TimeUnit.MILLISECONDS);
                if (l != null) {
                    transcript.append(l).append('\n');
                    if (l.startsWith(prefix)) {
                        return l;
                    }
                }
            }
            throw new AssertionError("no '" + prefix + "' line from the probe within " + STEP + "; transcript:\n" + transcript);
        }

        /** The next line starting with each of {@code prefixes}, in whatever order they come, skipping others. */
        List<String> nextAll(String... prefixes) throws InterruptedException {
            String[] found = new String[prefixes.length];
            int missing = prefixes.length;
            long end = System.nanoTime() + STEP.toNanos();
            while (missing > 0 && System.nanoTime() < end) {
                String l = lines.poll(200, TimeUnit.MILLISECONDS);
                if (l == null) {
                    continue;
                }
                transcript.append(l).append('\n');
                for (int i = 0; i < prefixes.length; i++) {
                    if (found[i] == null && l.startsWith(prefixes[i])) {
                        found[i] = l;
                        missing--;
                        break;
                    }
                }
            }
            if (missing > 0) {
                throw new AssertionError("not all of " + List.of(prefixes) + " from the probe within " + STEP + "; transcript:\n"
                        + transcript);
            }
            return List.of(found);
        }

        int exitCode() throws InterruptedException {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("probe did not exit; transcript:\n" + transcript);
            }
            return process.exitValue();
        }

        String transcript() {
            return transcript.toString();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
