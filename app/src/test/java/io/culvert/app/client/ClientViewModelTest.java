package io.culvert.app.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.culvert.app.client.ConnectionModel.Phase;
import io.culvert.engine.api.ConnectionState;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.Profiles;
import io.culvert.engine.local.LocalEngine;
import io.culvert.engine.profiles.LocalProfiles;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client view model's login and connection logic against the real engine and store, without the FX toolkit: a
 * single thread stands in for the FX thread.
 */
class ClientViewModelTest {
    @TempDir
    Path dir;
    private final ExecutorService fx = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-fx"));
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Login.Request> prompts = new CopyOnWriteArrayList<>();
    private Profiles profiles;
    private LoopbackServer server;
    private ClientViewModel vm;
    private Consumer<EngineEvent> events;
    private Optional<Login.Answer> answer = Optional.empty();

    @BeforeEach
    void setUp() throws Exception {
        LocalEngine engine = new LocalEngine(LocalEngine.Devices.MEMORY, InstantSource.system());
        profiles = LocalProfiles.open(dir.resolve("data/culvert.db"), false, InstantSource.system());
        server = LoopbackServer.start(engine, dir.resolve("server"));
        vm = new ClientViewModel(engine, profiles, background, fx, c -> {
            events = c;
            return e -> fx.execute(() -> c.accept(e));
        });
        vm.setPrompter(r -> {
            prompts.add(r);
            return CompletableFuture.completedFuture(answer);
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        onFx(() -> {
            vm.shutdown();
            return null;
        });
        server.close();
        profiles.close();
        background.shutdownNow();
        fx.shutdownNow();
    }

    private <T> T onFx(Supplier<T> s) throws Exception {
        return fx.submit(s::get).get(10, TimeUnit.SECONDS);
    }

    private void awaitPhase(Phase p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (onFx(() -> vm.connection().phase()) == p) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("phase " + p + " not reached; now " + onFx(() -> vm.connection().phase()));
    }

    private void importAndLoad(String extra) throws Exception {
        assertTrue(profiles.importFile(server.writeProfile("login.ovpn", "udp", extra), null).usable());
        vm.load().get(10, TimeUnit.SECONDS);
        assertEquals("login", onFx(() -> vm.selectedProperty().get().name()));
    }

    private void disconnect() throws Exception {
        fx.execute(vm::toggle);
        awaitPhase(Phase.IDLE);
    }

    @Test
    void savedLoginIsUsedWithoutAPrompt() throws Exception {
        importAndLoad("auth-user-pass\n");
        profiles.saveLogin("login", "alice", "pw", true);

        fx.execute(vm::toggle);
        awaitPhase(Phase.CONNECTED);
        assertEquals(List.of(), prompts);
        assertTrue(onFx(() -> vm.connection().infoProperty().get().ipv4()).startsWith("10.8.0."));
        disconnect();
    }

    @Test
    void refusedLoginIsAskedAgainWithTheSavedUsername() throws Exception {
        importAndLoad("auth-user-pass\n");
        profiles.saveLogin("login", "alice", "old", true);
        fx.execute(vm::toggle);
        awaitPhase(Phase.CONNECTED);
        fx.execute(() -> events.accept(new EngineEvent.StateChanged(Instant.now(), ConnectionState.RECONNECTING,
                ErrorKind.AUTH_FAILED, "AUTH_FAILED")));
        disconnect();

        answer = Optional.of(new Login.Answer("alice", "new", "", true));
        fx.execute(vm::toggle);
        awaitPhase(Phase.CONNECTED);
        assertEquals(1, prompts.size());
        assertTrue(prompts.getFirst().retry());
        assertEquals("alice", prompts.getFirst().username());
        assertFalse(prompts.getFirst().keyring());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!"new".equals(profiles.savedLogin("login").orElseThrow().password()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("new", profiles.savedLogin("login").orElseThrow().password());
        disconnect();
    }

    @Test
    void cancelledLoginEndsIdleWithoutAFailure() throws Exception {
        importAndLoad("auth-user-pass\n");
        fx.execute(vm::toggle);
        awaitPhase(Phase.IDLE);
        assertEquals(1, prompts.size());
        assertFalse(prompts.getFirst().retry());
        assertNull(onFx(() -> vm.connection().failureProperty().get()));
        assertTrue(server.server.instances().isEmpty());
    }

    @Test
    void loadSelectsTheLastProfile() throws Exception {
        profiles.importFile(server.writeProfile("a.ovpn", "udp", ""), null);
        profiles.importFile(server.writeProfile("b.ovpn", "udp", ""), null);
        profiles.settings().put(ClientViewModel.LAST_PROFILE, "b");
        vm.load().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("a", "b"), onFx(() -> vm.profiles().stream().map(p -> p.name()).toList()));
        assertEquals("b", onFx(() -> vm.selectedProperty().get().name()));
        vm.rename("b", "c").get(10, TimeUnit.SECONDS);
        assertEquals("c", onFx(() -> vm.selectedProperty().get().name()));
        vm.delete("c").get(10, TimeUnit.SECONDS);
        assertEquals("a", onFx(() -> vm.selectedProperty().get().name()));
    }
}
