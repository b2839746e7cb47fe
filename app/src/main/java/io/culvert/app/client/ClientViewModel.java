package io.culvert.app.client;

import io.culvert.engine.api.CertificateExpiry;
import io.culvert.engine.api.ClientHandle;
import io.culvert.engine.api.Engine;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.EngineListener;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.ProfileException;
import io.culvert.engine.api.ProfileForm;
import io.culvert.engine.api.ProfileImport;
import io.culvert.engine.api.ProfileSummary;
import io.culvert.engine.api.Profiles;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client face's state and actions: the profile list and selection, and the one connection with its login
 * flow. Engine and store calls run on {@code background}; results and events come back through {@code fx} (the FX
 * thread in the app, the calling thread in tests). Properties are touched on the FX thread only.
 */
final class ClientViewModel {
    private static final Logger LOG = LoggerFactory.getLogger(ClientViewModel.class);
    static final String LAST_PROFILE = "client.last-profile";

    /** Shows the login prompt (called on the FX thread); completes empty when the user cancels. */
    @FunctionalInterface
    interface LoginPrompter {
        CompletableFuture<Optional<Login.Answer>> ask(Login.Request request);

        /** Asks for the passphrase of the encrypted key {@code keyName} of {@code profile}; empty when cancelled. */
        default CompletableFuture<Optional<String>> askPassphrase(String profile, String keyName) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
    }

    private final Engine engine;
    private final Profiles store;
    private final Executor background;
    private final Executor fx;
    private final Function<Consumer<EngineEvent>, EngineListener> bridge;
    private final ObservableList<ProfileSummary> profiles = FXCollections.observableArrayList();
    private final ObjectProperty<ProfileSummary> selected = new SimpleObjectProperty<>();
    private final BooleanProperty keyring = new SimpleBooleanProperty();
    private final ConnectionModel connection = new ConnectionModel();
    private final ObservableMap<String, Instant> expiring = FXCollections.observableHashMap();
    private InstantSource clock = InstantSource.system();
    private final Set<String> promptNextTime = new HashSet<>();
    private LoginPrompter prompter = r -> CompletableFuture.completedFuture(Optional.empty());
    private ClientHandle handle;
    private LoginFlow login;

    ClientViewModel(Engine engine, Profiles store, Executor background, Executor fx,
            Function<Consumer<EngineEvent>, EngineListener> bridge) {
        this.engine = engine;
        this.store = store;
        this.background = background;
        this.fx = fx;
        this.bridge = bridge;
    }

    void setPrompter(LoginPrompter prompter) {
        this.prompter = prompter;
    }

    /** Loads the list and selects the last used profile; completes on the FX side. */
    CompletableFuture<Void> load() {
        return async(() -> {
            boolean k = store.keyringAvailable();
            String last = store.settings().get(LAST_PROFILE).orElse(null);
            return new Object[] {store.list(), k, last};
        }).thenAcceptAsync(r -> {
            keyring.set((Boolean) r[1]);
            @SuppressWarnings("unchecked")
            List<ProfileSummary> list = (List<ProfileSummary>) r[0];
            showList(list, (String) r[2]);
        }, fx);
    }

    /** Re-reads the list, keeping {@code select} (or the current selection) selected. */
    CompletableFuture<Void> refresh(String select) {
        String keep = select != null ? select : selected.get() == null ? null : selected.get().name();
        return async(store::list).thenAcceptAsync(list -> showList(list, keep), fx);
    }

    private void showList(List<ProfileSummary> list, String select) {
        profiles.setAll(list);
        selected.set(list.stream().filter(p -> p.name().equals(select)).findFirst()
                .orElse(list.isEmpty() ? null : list.getFirst()));
        checkCertificates(list);
    }

    /** Reads each profile's certificate off the FX thread; those expiring within {@link CertificateExpiry#WARN_WITHIN} go into {@link #expiring()}. */
    private void checkCertificates(List<ProfileSummary> list) {
        Instant now = clock.instant();
        async(() -> {
            Map<String, Instant> soon = new LinkedHashMap<>();
            for (ProfileSummary p : list) {
                try {
                    CertificateExpiry.ofProfile(store.text(p.name())).filter(at -> CertificateExpiry.isSoon(at, now))
                            .ifPresent(at -> soon.put(p.name(), at));
                } catch (ProfileException e) {
                    LOG.debug("Cannot read {} for its certificate: {}", p.name(), e.getMessage());
                }
            }
            return soon;
        }).thenAcceptAsync(soon -> {
            expiring.keySet().retainAll(list.stream().map(ProfileSummary::name).toList());
            expiring.putAll(soon);
        }, fx);
    }

    /** Profiles whose certificate expires within {@link CertificateExpiry#WARN_WITHIN} (or has expired), with when. */
    ObservableMap<String, Instant> expiring() {
        return expiring;
    }

    /** The clock certificate expiry is measured against (tests move it). */
    void setClock(InstantSource clock) {
        this.clock = clock;
    }

    InstantSource clock() {
        return clock;
    }

    /** Remembers the selection as the last profile. */
    void rememberSelection() {
        ProfileSummary p = selected.get();
        if (p != null) {
            background.execute(() -> quietly(() -> store.settings().put(LAST_PROFILE, p.name())));
        }
    }

    // ---- connection

    /** The one button: connect when idle or failed, else disconnect (or cancel). */
    void toggle() {
        switch (connection.phase()) {
            case IDLE, FAILED -> connect();
            case CONNECTING, CONNECTED -> disconnect();
            case DISCONNECTING -> { }
        }
    }

    void connect() {
        ProfileSummary p = selected.get();
        if (p == null || connection.phase() == ConnectionModel.Phase.CONNECTING
                || connection.phase() == ConnectionModel.Phase.CONNECTED) {
            return;
        }
        connection.starting(p.name());
        LoginFlow flow = new LoginFlow(store, p, promptNextTime.contains(p.name()), keyring.get(), fx, prompter);
        login = flow;
        EngineListener listener = bridge.apply(this::onEvent);
        background.execute(() -> {
            try {
                String text = store.text(p.name());
                ClientHandle h = engine.startClient(text, store.baseDir(p.name()), listener, flow);
                quietly(() -> store.settings().put(LAST_PROFILE, p.name()));
                quietly(() -> store.markUsed(p.name()));
                fx.execute(() -> started(h));
            } catch (EngineException e) {
                boolean cancelled = flow.cancelled();
                fx.execute(() -> {
                    if (cancelled) {
                        connection.cancelled();
                    } else {
                        connection.startFailed(e.kind(), e.detail());
                    }
                });
            } catch (ProfileException e) {
                fx.execute(() -> connection.startFailed(ErrorKind.CONFIG_INVALID, e.getMessage()));
            } catch (RuntimeException e) {
                LOG.warn("Starting the client failed", e);
                fx.execute(() -> connection.startFailed(ErrorKind.INTERNAL, String.valueOf(e)));
            }
        });
    }

    /**
     * Selects the profile {@code name} and connects it; when another connection runs, that one is disconnected first
     * (the tray's profile items).
     */
    void connectProfile(String name) {
        ProfileSummary p = profiles.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
        if (p == null) {
            return;
        }
        selected.set(p);
        switch (connection.phase()) {
            case IDLE, FAILED -> connect();
            case CONNECTING, CONNECTED, DISCONNECTING -> {
                if (connection.phase() != ConnectionModel.Phase.DISCONNECTING) {
                    disconnect();
                }
                connection.phaseProperty().addListener(new javafx.beans.value.ChangeListener<>() {
                    @Override
                    public void changed(javafx.beans.value.ObservableValue<? extends ConnectionModel.Phase> o,
                            ConnectionModel.Phase was, ConnectionModel.Phase now) {
                        if (now == ConnectionModel.Phase.IDLE || now == ConnectionModel.Phase.FAILED) {
                            o.removeListener(this);
                            if (p.equals(selected.get())) {
                                connect();
                            }
                        }
                    }
                });
            }
        }
    }

    private void started(ClientHandle h) {
        handle = h;
        if (connection.phase() == ConnectionModel.Phase.DISCONNECTING) {
            background.execute(h::disconnect);
        }
    }

    void disconnect() {
        connection.stopping();
        ClientHandle h = handle;
        if (h != null) {
            background.execute(h::disconnect);
        }
    }

    private void onEvent(EngineEvent e) {
        connection.onEvent(e);
        if (e instanceof EngineEvent.StateChanged s) {
            String name = connection.profileProperty().get();
            switch (s.state()) {
                case CONNECTED -> saveLogin(name);
                case DISCONNECTED -> handle = null;
                default -> { }
            }
            if (s.error() == ErrorKind.AUTH_FAILED) {
                promptNextTime.add(name);
            }
        }
    }

    private void saveLogin(String name) {
        Login.Answer a = login == null ? null : login.takeAnswer();
        promptNextTime.remove(name);
        if (a != null && a.save()) {
            background.execute(() -> quietly(() -> store.saveLogin(name, a.username(), a.password(), true)));
        }
    }

    /** Disconnects and waits a little for the engine to clean up; for app shutdown. */
    void shutdown() {
        ClientHandle h = handle;
        if (h != null) {
            h.disconnect();
            try {
                h.awaitStopped(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- profile operations (results on the FX side; failures complete the future exceptionally)

    /** Imports each file; afterwards the list shows the last stored profile selected. */
    CompletableFuture<List<ProfileImport>> importFiles(List<Path> files) {
        return async(() -> files.stream().map(f -> store.importFile(f, null)).toList()).thenComposeAsync(reports -> {
            String last = reports.stream().filter(r -> r.stored() != null).map(r -> r.stored().name())
                    .reduce((a, b) -> b).orElse(null);
            return refresh(last).thenApply(v -> reports);
        }, fx);
    }

    CompletableFuture<Void> rename(String name, String newName) {
        return run(() -> store.rename(name, newName)).thenComposeAsync(v -> {
            connection.renamed(name, newName);
            return refresh(newName);
        }, fx);
    }

    CompletableFuture<Void> delete(String name) {
        return run(() -> store.delete(name)).thenComposeAsync(v -> refresh(null), fx);
    }

    CompletableFuture<Void> export(String name, Path target) {
        return run(() -> store.export(name, target));
    }

    /** The stored text and its form, read together. */
    record Editable(String text, ProfileForm form) {}

    CompletableFuture<Editable> editable(String name) {
        return async(() -> new Editable(store.text(name), store.form(name)));
    }

    /** {@code text} with {@code form} applied, not stored. */
    CompletableFuture<String> preview(String text, ProfileForm form) {
        return async(() -> store.applyForm(text, form));
    }

    CompletableFuture<Void> saveText(String name, String text) {
        return run(() -> store.saveText(name, text)).thenComposeAsync(v -> refresh(name), fx);
    }

    // ---- helpers

    <T> CompletableFuture<T> async(java.util.function.Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, background);
    }

    CompletableFuture<Void> run(Runnable work) {
        return CompletableFuture.runAsync(work, background);
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("Saving a client setting failed: {}", e.getMessage());
        }
    }

    ObservableList<ProfileSummary> profiles() {
        return profiles;
    }

    ObjectProperty<ProfileSummary> selectedProperty() {
        return selected;
    }

    BooleanProperty keyringProperty() {
        return keyring;
    }

    ConnectionModel connection() {
        return connection;
    }

    Profiles store() {
        return store;
    }

    Executor fx() {
        return fx;
    }
}
