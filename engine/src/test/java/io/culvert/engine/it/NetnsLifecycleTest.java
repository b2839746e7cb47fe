package io.culvert.engine.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@NetnsTest
class NetnsLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void closeKillsWholeProcessTreeAndDeletesNamespace() throws Exception {
        Netns ns = Netns.create("life");
        Process p;
        List<ProcessHandle> tree;
        try (ns) {
            p = ns.spawn(dir.resolve("sleep.log"), "sh", "-c", "sleep 300 & sleep 300");
            Thread.sleep(300);
            tree = p.toHandle().descendants().toList();
            assertFalse(tree.isEmpty(), "sh has sleeping children");
            assertTrue(Netns.exists(ns.name()));
        }
        assertFalse(p.isAlive());
        assertTrue(tree.stream().noneMatch(ProcessHandle::isAlive), "children killed too");
        assertFalse(Netns.exists(ns.name()));
    }

    @Test
    void vethJoinsNamespacesWithShortNames() {
        try (Netns a = Netns.create("va"); Netns b = Netns.create("vb")) {
            VethLink link = Netns.link(a, "10.201.9.1/24", b, "10.201.9.2/24");
            assertTrue(link.nameA().length() <= 15 && link.nameB().length() <= 15, link.toString());
            PingResult ping = b.ping(link.addrA(), 3);
            assertTrue(ping.noLoss(), ping.output());
            ExecResult addr = a.exec(Duration.ofSeconds(5), "ip", "-o", "addr", "show", "dev", link.nameA());
            assertTrue(addr.output().contains("10.201.9.1/24"), addr.output());
        }
    }

    @Test
    void execReportsExitCodeAndTimeout() {
        try (Netns ns = Netns.create("exec")) {
            assertEquals(3, ns.exec(Duration.ofSeconds(5), "sh", "-c", "echo hi; exit 3").exitCode());
            assertEquals("hi\n", ns.exec(Duration.ofSeconds(5), "echo", "hi").output());
            assertEquals(-1, ns.exec(Duration.ofMillis(300), "sleep", "30").exitCode());
        }
    }

    @Test
    void createRemovesNamespacesOfDeadRuns() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String stale = "cvt-stale-" + dead.pid() + "-abcdef";
        Netns.host("ip", "netns", "add", stale).orThrow("add stale");
        try (Netns fresh = Netns.create("fresh")) {
            assertFalse(Netns.exists(stale), "stale namespace of a dead pid is swept");
            assertTrue(Netns.exists(fresh.name()), "live namespace of this JVM is kept");
        } finally {
            Netns.host("ip", "netns", "del", stale);
        }
    }

    @Test
    void processFailsFastWithLogTail() {
        try (Netns ns = Netns.create("fail");
                OpenvpnProcess p = OpenvpnProcess.command(ns, dir, dir.resolve("x.log"), "sh", "-c", "echo boom; exit 1")) {
            AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                    () -> p.awaitInitialized(Duration.ofSeconds(10)));
            assertTrue(e.getMessage().contains("exited with 1") && e.getMessage().contains("boom"), e.getMessage());
        }
    }
}
