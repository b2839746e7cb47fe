package io.culvert.app.server;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.ClientCertificate;
import io.culvert.engine.api.Fleet;
import io.culvert.engine.api.FleetView;
import io.culvert.engine.api.Fleets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The server manager's fleet (issue 15): the open fleet, its servers with their health, and its client
 * certificates, issued, exported and revoked once for every server. Every {@link Fleet} call runs on the background
 * executor and its result is applied on the UI executor. State is confined to the UI thread.
 */
public final class FleetViewModel {
    private final Fleets fleets;
    private final Messages messages;
    private final ObjectProperty<Fleet> fleet = new SimpleObjectProperty<>();
    private final ObjectProperty<FleetView> view = new SimpleObjectProperty<>();
    private final ObservableList<FleetView.Server> servers = FXCollections.observableArrayList();
    private final ObservableList<ClientCertificate> clients = FXCollections.observableArrayList();
    private final BooleanProperty shown = new SimpleBooleanProperty();
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final StringProperty status = new SimpleStringProperty("");
    private final BackgroundTasks tasks;

    public FleetViewModel(Fleets fleets, Executor background, Executor ui, Messages messages) {
        this.fleets = fleets;
        this.messages = messages;
        this.tasks = new BackgroundTasks(background, ui, messages, busy, status, () -> {});
    }

    /** The fleet last opened, for the open dialog to offer. */
    public Optional<Fleets.Remembered> remembered() {
        return fleets.remembered();
    }

    /** Opens the fleet at {@code url} (the password is kept in the keyring or a 0600 file, never shown again) and shows it. */
    public CompletableFuture<Fleet> open(String url, String user, String password) {
        return call(() -> fleets.open(url, user, password), this::opened);
    }

    /** Opens the fleet last opened, with its kept password. */
    public CompletableFuture<Fleet> reopen() {
        return call(fleets::reopen, this::opened);
    }

    private void opened(Fleet f) {
        Fleet before = fleet.get();
        fleet.set(f);
        if (before != null) {
            tasks.execute(before::close);
        }
        shown.set(true);
        status.set(messages.get("fleet.status.opened", shortUrl(f.url())));
        refresh();
    }

    /** Reads the servers and the certificates again. */
    public CompletableFuture<Void> refresh() {
        Fleet f = fleet.get();
        if (f == null) {
            return CompletableFuture.completedFuture(null);
        }
        return call(() -> new Reading(f.view(), f.clients()), r -> {
            view.set(r.view());
            servers.setAll(r.view().servers());
            clients.setAll(r.clients());
        }).thenApply(r -> null);
    }

    private record Reading(FleetView view, List<ClientCertificate> clients) {}

    /** Issues a certificate for {@code commonName} with the fleet CA. */
    public CompletableFuture<ClientCertificate> issue(String commonName) {
        Fleet f = fleet.get();
        return call(() -> f.issueClient(commonName.strip()), c -> {
            status.set(messages.get("fleet.status.issued", c.commonName()));
            refresh();
        });
    }

    /** Revokes {@code commonName} for the whole fleet. */
    public CompletableFuture<ClientCertificate> revoke(String commonName) {
        Fleet f = fleet.get();
        return call(() -> f.revoke(commonName), c -> {
            status.set(messages.get("fleet.status.revoked", c.commonName()));
            refresh();
        });
    }

    /** Saves {@code commonName}'s profile listing every server (owner-only: it holds the private key). */
    public CompletableFuture<Path> saveProfile(String commonName, Path file, boolean remoteRandom) {
        Fleet f = fleet.get();
        return call(() -> {
            String text = f.exportProfile(commonName, remoteRandom);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text, StandardOpenOption.TRUNCATE_EXISTING);
            return file;
        }, p -> status.set(messages.get("fleet.status.saved", commonName, p, servers.size())));
    }

    /** The profile's text, for the clipboard. */
    public CompletableFuture<String> exportProfile(String commonName, boolean remoteRandom) {
        Fleet f = fleet.get();
        return call(() -> f.exportProfile(commonName, remoteRandom),
                t -> status.set(messages.get("clients.copied", commonName)));
    }

    /** Closes the fleet's connection (app shutdown). */
    public void close() {
        Fleet f = fleet.get();
        fleet.set(null);
        if (f != null) {
            f.close();
        }
    }

    /** The URL without its parameters, as the face shows it. */
    static String shortUrl(String url) {
        return url.replaceAll("\\?.*", "").replaceFirst("^jdbc:", "");
    }

    private <T> CompletableFuture<T> call(Callable<T> work, Consumer<T> apply) {
        return tasks.call(work, apply);
    }

    /** The open fleet, or null. */
    public ObjectProperty<Fleet> fleetProperty() {
        return fleet;
    }

    /** The last reading of the fleet. */
    public ObjectProperty<FleetView> viewProperty() {
        return view;
    }

    /** Every server of the open fleet, by name, as last read. */
    public ObservableList<FleetView.Server> servers() {
        return servers;
    }

    public ObservableList<ClientCertificate> clients() {
        return clients;
    }

    /** True while the server manager shows the fleet instead of a server. */
    public BooleanProperty shownProperty() {
        return shown;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public StringProperty statusProperty() {
        return status;
    }
}
