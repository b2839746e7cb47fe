package io.culvert.app.server;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.CertificateExpiry;
import io.culvert.engine.api.ClientCertificate;
import io.culvert.engine.api.ClientNetwork;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ServerAdmin;
import io.culvert.engine.api.ServerEdit;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.api.ServerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The server manager's state: the stored servers, the selected one with its run state, log, client certificates
 * and connected instances. Every {@link ServerAdmin} call runs on the background executor and its result is
 * applied on the UI executor; engine events arrive through the bridge. State is confined to the UI thread.
 */
public final class ServerManagerViewModel {
    private final ServerAdmin admin;
    private final Executor ui;
    private final Function<Consumer<EngineEvent>, EngineListener> bridge;
    private final InstantSource clock;
    private final Messages messages;

    private final ObservableList<ServerSpec> servers = FXCollections.observableArrayList();
    private final ObjectProperty<ServerSpec> selected = new SimpleObjectProperty<>();
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final StringProperty listenAddress = new SimpleStringProperty("");
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private final ObservableList<String> natRules = FXCollections.observableArrayList();
    private final ObservableList<ClientCertificate> clients = FXCollections.observableArrayList();
    private final InstanceTable instances = new InstanceTable();
    private final ObservableList<ExpiringClient> expiring = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final BackgroundTasks tasks;
    private ServerHandle handle;
    private boolean polling;

    /**
     * @param bridge wraps a consumer (run on the UI thread) as an engine listener: {@code FxBridge::new} in the app
     */
    public ServerManagerViewModel(ServerAdmin admin, Executor background, Executor ui,
            Function<Consumer<EngineEvent>, EngineListener> bridge, InstantSource clock, Messages messages) {
        this.admin = admin;
        this.ui = ui;
        this.tasks = new BackgroundTasks(background, ui, messages, busy, status, () -> polling = false);
        this.bridge = bridge;
        this.clock = clock;
        this.messages = messages;
    }

    /** Reloads the server list, keeping the selection by name; with none yet, a running server is selected first. */
    public CompletableFuture<List<ServerSpec>> refresh() {
        return call(() -> {
            List<ServerSpec> list = admin.servers();
            String up = list.stream().map(ServerSpec::name).filter(n -> admin.running(n).isPresent()).findFirst().orElse(null);
            return new Listing(list, up);
        }, listing -> {
            String keep = selected.get() == null ? listing.running() : selected.get().name();
            servers.setAll(listing.servers());
            servers.stream().filter(s -> s.name().equals(keep)).findFirst().or(() -> servers.stream().findFirst())
                    .ifPresentOrElse(this::select, () -> select(null));
        }).thenApply(Listing::servers);
    }

    private record Listing(List<ServerSpec> servers, String running) {}

    /** A client certificate of {@code server}, not revoked, that expires within {@link CertificateExpiry#WARN_WITHIN} (or has expired). */
    public record ExpiringClient(String server, String commonName, String serialHex, Instant notAfter) {}

    /**
     * Reads the client certificates of every server; those not revoked that expire within
     * {@link CertificateExpiry#WARN_WITHIN} (or have expired) become {@link #expiring()}.
     */
    public CompletableFuture<List<ExpiringClient>> checkExpiring() {
        Instant now = clock.instant();
        return call(() -> {
            List<ExpiringClient> out = new ArrayList<>();
            for (ServerSpec s : admin.servers()) {
                for (ClientCertificate c : admin.clients(s.name())) {
                    if (c.revokedAt() == null && CertificateExpiry.isSoon(c.notAfter(), now)) {
                        out.add(new ExpiringClient(s.name(), c.commonName(), c.serialHex(), c.notAfter()));
                    }
                }
            }
            return out;
        }, expiring::setAll);
    }

    /** What the last {@link #checkExpiring()} found, across every server. */
    public ObservableList<ExpiringClient> expiring() {
        return expiring;
    }

    /** The clock expiry is measured against. */
    public InstantSource clock() {
        return clock;
    }

    /** Shows {@code server} (null for none): its run state, log and clients. */
    public void select(ServerSpec server) {
        selected.set(server);
        handle = null;
        running.set(false);
        listenAddress.set("");
        instances.clear();
        natRules.clear();
        log.clear();
        clients.clear();
        if (server == null) {
            return;
        }
        String name = server.name();
        call(() -> admin.running(name), h -> {
            if (isSelected(name)) {
                attach(h.orElse(null));
            }
        });
        reloadClients();
        reloadLog();
    }

    public CompletableFuture<ServerSpec> create(ServerSpec spec) {
        return call(() -> admin.create(spec), created -> {
            add(created);
            status.set(messages.get("status.created", created.name()));
        });
    }

    private void add(ServerSpec spec) {
        servers.add(spec);
        servers.sort(Comparator.comparing(ServerSpec::name));
        select(spec);
    }

    private void replace(String name, ServerSpec spec) {
        for (int i = 0; i < servers.size(); i++) {
            if (servers.get(i).name().equals(name)) {
                servers.set(i, spec);
            }
        }
    }

    /**
     * Saves new settings for the selected server (its name stays); a running server restarts. The status says whether
     * it restarted and which changes make clients import a fresh profile, and why.
     */
    public CompletableFuture<ServerEdit> edit(ServerSpec spec) {
        String name = selectedName();
        if (!spec.name().equals(name)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("edit keeps the name; use rename"));
        }
        ServerSpec before = selected.get();
        boolean pushedChanged = before != null && (before.keepalivePing() != spec.keepalivePing()
                || before.keepaliveTimeout() != spec.keepaliveTimeout() || !before.dnsServers().equals(spec.dnsServers()));
        return call(() -> admin.edit(spec), edit -> {
            replace(name, edit.spec());
            if (isSelected(name)) {
                select(edit.spec());
            }
            String saved = messages.get(edit.restarted() ? "status.editedRestarted" : "status.edited", name);
            if (pushedChanged) {
                saved += " " + messages.get(edit.restarted() ? "status.pushedReconnect" : "status.pushedNext");
            }
            status.set(edit.clientsMustReimport()
                    ? saved + " " + messages.get("status.reimport", String.join("; ", edit.reimportReasons()))
                    : saved + " " + messages.get("status.noReimport"));
        });
    }

    /** Renames the selected server; its CA, certificates and ccd entries move with it, a running server keeps running. */
    public CompletableFuture<ServerSpec> rename(String newName) {
        String name = selectedName();
        String to = newName.strip();
        return call(() -> admin.rename(name, to), renamed -> {
            servers.removeIf(s -> s.name().equals(name));
            add(renamed);
            status.set(messages.get("status.renamed", name, renamed.name()));
        });
    }

    /** Stops the selected server and deletes it with its CA and every certificate. */
    public CompletableFuture<String> delete() {
        String name = selectedName();
        return call(() -> {
            admin.delete(name);
            return name;
        }, n -> {
            servers.removeIf(s -> s.name().equals(n));
            select(servers.isEmpty() ? null : servers.getFirst());
            status.set(messages.get("status.deleted", n));
        });
    }

    /** Writes the selected server's encrypted backup to {@code file}, readable by the owner only (it holds the CA key). */
    public CompletableFuture<Path> backup(char[] passphrase, Path file) {
        String name = selectedName();
        return call(() -> {
            byte[] data = admin.backup(name, passphrase);
            java.util.Arrays.fill(passphrase, '\0');
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, data, StandardOpenOption.TRUNCATE_EXISTING);
            return file;
        }, f -> status.set(messages.get("status.backedUp", name, f)));
    }

    /** Restores a server from a backup file, under {@code asName} (null or blank: the name it was backed up with). */
    public CompletableFuture<ServerSpec> restore(Path file, char[] passphrase, String asName) {
        String as = asName == null || asName.isBlank() ? null : asName.strip();
        return call(() -> {
            byte[] data = Files.readAllBytes(file);
            try {
                return admin.restore(data, passphrase, as);
            } finally {
                java.util.Arrays.fill(passphrase, '\0');
            }
        }, restored -> {
            add(restored);
            status.set(messages.get("status.restored", restored.name()));
        });
    }

    public CompletableFuture<ServerHandle> start() {
        String name = selectedName();
        EngineListener listener = bridge.apply(e -> onEvent(name, e));
        return call(() -> admin.start(name, listener), h -> {
            if (isSelected(name)) {
                attach(h);
                reloadLog();
            }
            status.set(messages.get("status.started", name, h.listenAddress()));
        });
    }

    public CompletableFuture<String> stop() {
        String name = selectedName();
        return call(() -> {
            admin.stop(name);
            return name;
        }, n -> {
            if (isSelected(n)) {
                attach(null);
                reloadLog();
            }
            status.set(messages.get("status.stopped", n));
        });
    }

    public CompletableFuture<ClientCertificate> issue(String commonName) {
        String name = selectedName();
        String cn = commonName.strip();
        return call(() -> admin.issueClient(name, cn), c -> {
            reloadClients();
            status.set(messages.get("status.issued", cn));
        });
    }

    /** Revokes the client; the running server disconnects it, and the table follows at the next poll. */
    public CompletableFuture<ClientCertificate> revoke(String commonName) {
        String name = selectedName();
        return call(() -> admin.revoke(name, commonName), c -> {
            reloadClients();
            reloadLog();
            poll();
            status.set(messages.get("status.revoked", commonName));
        });
    }

    public CompletableFuture<ClientNetwork> clientNetwork(String commonName) {
        String name = selectedName();
        return call(() -> admin.clientNetwork(name, commonName), n -> { });
    }

    public CompletableFuture<String> setClientNetwork(String commonName, ClientNetwork network) {
        String name = selectedName();
        return call(() -> admin.setClientNetwork(name, commonName, network),
                text -> status.set(messages.get("status.networkSaved", commonName)));
    }

    /** The client's unified .ovpn text (for the clipboard). */
    public CompletableFuture<String> exportProfile(String commonName) {
        String name = selectedName();
        return call(() -> admin.exportProfile(name, commonName), text -> status.set(messages.get("status.exported", commonName)));
    }

    /** Writes the client's .ovpn to {@code file}, readable by the owner only (it holds the private key). */
    public CompletableFuture<Path> saveProfile(String commonName, Path file) {
        String name = selectedName();
        return call(() -> {
            String text = admin.exportProfile(name, commonName);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardOpenOption.TRUNCATE_EXISTING);
            return file;
        }, f -> status.set(messages.get("status.saved", commonName, f)));
    }

    /** Disconnects the instance (it may reconnect) and drops its row at once. */
    public CompletableFuture<Integer> kick(int peerId) {
        ServerHandle h = handle;
        if (h == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the server is not running"));
        }
        String cn = instances.rows().stream().filter(r -> r.peerId() == peerId).map(InstanceRow::commonName).findFirst().orElse("");
        return call(() -> {
            h.kick(peerId);
            return peerId;
        }, p -> {
            instances.remove(p);
            status.set(messages.get("status.kicked", cn));
        });
    }

    /** Fetches the instance snapshot in the background and applies it; called once a second while running. */
    public void poll() {
        ServerHandle h = handle;
        if (h == null || polling) {
            return;
        }
        polling = true;
        String name = selectedName();
        execute(() -> {
            List<io.culvert.engine.api.InstanceInfo> snapshot = List.of();
            boolean alive;
            try {
                alive = !h.awaitStopped(0);
                snapshot = alive ? h.instances() : List.of();
            } catch (InterruptedException | RuntimeException e) {
                alive = false;
            }
            List<io.culvert.engine.api.InstanceInfo> taken = snapshot;
            boolean stillRunning = alive;
            ui.execute(() -> {
                polling = false;
                if (handle != h || !isSelected(name)) {
                    return;
                }
                if (stillRunning) {
                    instances.apply(taken, clock.instant());
                } else {
                    attach(null);
                    reloadLog();
                }
            });
        });
    }

    private void onEvent(String server, EngineEvent event) {
        if (!isSelected(server) || event instanceof EngineEvent.Traffic) {
            return;
        }
        reloadLog();
        if (event instanceof EngineEvent.Instance) {
            poll();
        }
    }

    private void attach(ServerHandle h) {
        handle = h;
        running.set(h != null);
        listenAddress.set(h == null ? "" : h.listenAddress());
        instances.clear();
        natRules.clear();
        if (h != null) {
            poll();
            loadNatRules(h);
        }
    }

    /** Reads the running server's rules from Culvert's nftables table in the background (once per start). */
    private void loadNatRules(ServerHandle h) {
        execute(() -> {
            List<String> rules;
            try {
                rules = h.natRules();
            } catch (RuntimeException e) {
                rules = List.of();
            }
            List<String> read = rules;
            ui.execute(() -> {
                if (handle == h) {
                    natRules.setAll(read);
                }
            });
        });
    }

    private void reloadClients() {
        String name = selectedName();
        call(() -> admin.clients(name), list -> {
            if (isSelected(name)) {
                clients.setAll(list);
            }
        });
        checkExpiring();
    }

    private void reloadLog() {
        String name = selectedName();
        call(() -> admin.log(name), lines -> {
            if (isSelected(name)) {
                log.setAll(lines);
            }
        });
    }

    private boolean isSelected(String name) {
        return selected.get() != null && selected.get().name().equals(name);
    }

    private String selectedName() {
        ServerSpec s = selected.get();
        if (s == null) {
            throw new IllegalStateException("no server selected");
        }
        return s.name();
    }

    /** Runs {@code work} in the background, then {@code apply} (or the error into {@link #statusProperty}) on the UI thread. */
    private <T> CompletableFuture<T> call(Callable<T> work, Consumer<T> apply) {
        return tasks.call(work, apply);
    }

    /** Hands work to the background executor; false once it has shut down (the app is closing). */
    private boolean execute(Runnable work) {
        return tasks.execute(work);
    }

    public ObservableList<ServerSpec> servers() {
        return servers;
    }

    public ObjectProperty<ServerSpec> selectedProperty() {
        return selected;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running;
    }

    public ReadOnlyStringProperty listenAddressProperty() {
        return listenAddress;
    }

    /**
     * The running server's rules in Culvert's own nftables table (gateway mode, NAT routes), as the kernel lists them;
     * empty when it is stopped or forwards nothing.
     */
    public ObservableList<String> natRules() {
        return natRules;
    }

    public ObservableList<String> log() {
        return log;
    }

    public ObservableList<ClientCertificate> clients() {
        return clients;
    }

    public InstanceTable instances() {
        return instances;
    }

    /** The last thing that happened, in words (successes and errors). */
    public ReadOnlyStringProperty statusProperty() {
        return status;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }
}
