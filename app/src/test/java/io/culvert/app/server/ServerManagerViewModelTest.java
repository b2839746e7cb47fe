package io.culvert.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.serveradmin.LocalServerAdmin;
import io.culvert.engine.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server manager's state logic without the FX toolkit, against the real engine over loopback. */
class ServerManagerViewModelTest {
    @TempDir
    Path dir;
    private final QueueExecutor ui = new QueueExecutor();
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final Messages messages = Messages.of("server");
    private LocalEngine engine;
    private LocalServerAdmin admin;
    private ServerManagerViewModel vm;

    @BeforeEach
    void open() {
        engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        admin = LocalServerAdmin.open(engine, dir, InstantSource.system());
        vm = new ServerManagerViewModel(admin, background, ui, c -> e -> ui.execute(() -> c.accept(e)), InstantSource.system(), messages);
    }

    @AfterEach
    void close() {
        admin.close();
        background.shutdownNow();
    }

    static ServerSpec spec(String name) throws Exception {
        return ServerSpec.builder(name, "127.0.0.1").network("10.66.0.0", "255.255.255.0").port(FreePorts.udp())
                .bindAddress("127.0.0.1").build();
    }

    private <T> T await(CompletableFuture<T> f, String what) throws Exception {
        ui.until(f::isDone, 30, what);
        return f.get();
    }

    @Test
    void createSelectsTheNewServerAndRefreshKeepsTheSelection() throws Exception {
        await(vm.refresh(), "refresh");
        assertNull(vm.selectedProperty().get());
        await(vm.create(spec("beta")), "create beta");
        await(vm.create(spec("alpha")), "create alpha");
        assertEquals(List.of("alpha", "beta"), vm.servers().stream().map(ServerSpec::name).toList());
        assertEquals("alpha", vm.selectedProperty().get().name());
        assertEquals(messages.get("status.created", "alpha"), vm.statusProperty().get());
        vm.select(vm.servers().get(1));
        await(vm.refresh(), "refresh");
        assertEquals("beta", vm.selectedProperty().get().name());
        ui.until(() -> !vm.busyProperty().get(), 10, "every call answered");
    }

    @Test
    void failuresBecomeTheStatusLine() throws Exception {
        ServerSpec s = spec("office");
        await(vm.create(s), "create");
        CompletableFuture<ServerSpec> again = vm.create(s);
        ui.until(again::isDone, 30, "second create");
        assertTrue(again.isCompletedExceptionally());
        assertTrue(vm.statusProperty().get().startsWith(messages.get("status.failed", "")), vm.statusProperty().get());
        assertTrue(vm.statusProperty().get().contains("already exists"));
        assertEquals(1, vm.servers().size());
    }

    @Test
    void runningServerShowsIssuedClientConnectedAndKickRemovesIt() throws Exception {
        await(vm.create(spec("office")), "create");
        await(vm.start(), "start");
        assertTrue(vm.runningProperty().get());
        assertTrue(vm.listenAddressProperty().get().startsWith("127.0.0.1:"));
        await(vm.issue(" alice "), "issue");
        ui.until(() -> vm.clients().size() == 1, 10, "client list");
        assertEquals("alice", vm.clients().getFirst().commonName());

        String profile = await(vm.exportProfile("alice"), "export");
        ClientHandle client = engine.startClient(profile, dir, e -> { }, p -> Optional.empty());
        try {
            ui.until(() -> {
                vm.poll();
                return !vm.instances().rows().isEmpty();
            }, 30, "alice in the connected table");
            InstanceRow row = vm.instances().rows().getFirst();
            assertEquals("alice", row.commonName());
            assertTrue(row.virtualAddressesProperty().get().startsWith("10.66.0."), row.virtualAddressesProperty().get());
            ui.until(() -> vm.log().stream().anyMatch(l -> l.contains("alice connected")), 10, "the log shows alice connecting");

            await(vm.kick(row.peerId()), "kick");
            assertTrue(vm.instances().rows().stream().noneMatch(r -> r.peerId() == row.peerId()), "kicked row is gone at once");
            assertEquals(messages.get("status.kicked", "alice"), vm.statusProperty().get());
        } finally {
            client.disconnect();
            client.awaitStopped(5000);
        }
        await(vm.stop(), "stop");
        assertFalse(vm.runningProperty().get());
        assertTrue(vm.instances().rows().isEmpty());
        ui.until(() -> !vm.log().isEmpty() && vm.log().getLast().endsWith("stopped"), 10, "the log says stopped");
    }

    @Test
    void revokedClientLeavesTheTableAndIsMarkedRevoked() throws Exception {
        await(vm.create(spec("office")), "create");
        await(vm.start(), "start");
        await(vm.issue("bob"), "issue");
        ClientHandle client = engine.startClient(await(vm.exportProfile("bob"), "export"), dir, e -> { }, p -> Optional.empty());
        try {
            ui.until(() -> {
                vm.poll();
                return !vm.instances().rows().isEmpty();
            }, 30, "bob connected");
            await(vm.revoke("bob"), "revoke");
            ui.until(() -> {
                vm.poll();
                return vm.instances().rows().isEmpty() && vm.clients().size() == 1 && vm.clients().getFirst().revoked();
            }, 30, "bob gone and revoked");
        } finally {
            client.disconnect();
            client.awaitStopped(5000);
        }
    }

    @Test
    void savedProfileIsOwnerOnly() throws Exception {
        await(vm.create(spec("office")), "create");
        await(vm.issue("carol"), "issue");
        Path file = dir.resolve("carol.ovpn");
        await(vm.saveProfile("carol", file), "save");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).contains("<key>"));
    }

    @Test
    void selectingAnotherServerShowsItsOwnState() throws Exception {
        await(vm.create(spec("one")), "create one");
        await(vm.start(), "start one");
        await(vm.issue("dave"), "issue");
        await(vm.create(spec("two")), "create two");
        ui.until(() -> vm.clients().isEmpty() && !vm.runningProperty().get(), 10, "two selected");
        vm.select(vm.servers().getFirst());
        ui.until(() -> vm.runningProperty().get() && vm.clients().size() == 1, 10, "one shows as running with dave");
    }
}
