package io.culvert.app.client;

import io.culvert.app.common.DesktopTray;
import io.culvert.app.common.Messages;
import io.culvert.app.common.TrayModel;
import io.culvert.app.common.TrayModel.Item;
import io.culvert.engine.api.ProfileSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.collections.ListChangeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's tray icon: a StatusNotifierItem on the session D-Bus where the desktop has such a tray, else the old
 * AWT (XEmbed) tray icon where there is one of those, else none. Both show the one {@link #model()}. The menu reads,
 * top to bottom: the
 * state ("Connected: office", not clickable), one radio item per profile (the running one on; a click connects that
 * profile, switching from another, or disconnects it when it runs), Disconnect, Show Culvert, a checkmark for
 * "Keep running in the tray when the window is closed", Quit Culvert. The
 * tooltip says the state; the status is Active while a connection runs, NeedsAttention after a failure, else Passive.
 * Built and driven on the FX thread; the bus is called on the background executor.
 */
final class ClientTray {
    private static final Logger LOG = LoggerFactory.getLogger(ClientTray.class);
    static final int STATE = 1;
    static final int DISCONNECT = 2;
    static final int SHOW = 3;
    static final int QUIT = 4;
    static final int KEEP_RUNNING = 5;
    private static final int FIRST_PROFILE = 100;

    private final ClientViewModel vm;
    private final Messages msg;
    private final Executor background;
    private final Runnable show;
    private final Runnable quit;
    private final javafx.beans.property.BooleanProperty keepRunning;
    private final ReadOnlyBooleanWrapper present = new ReadOnlyBooleanWrapper(this, "present");
    /** Menu ids of profiles, kept for the run so a click on a menu the panel drew earlier means the same profile. */
    private final Map<String, Integer> profileIds = new HashMap<>();
    private final Map<Integer, String> profileById = new HashMap<>();
    private final Object publishing = new Object();
    private volatile TrayModel latest;
    private volatile DesktopTray desktop;
    private AwtTray awt;
    private boolean closed;
    private boolean searched;

    private ClientTray(ClientViewModel vm, Messages msg, Executor background, Runnable show, Runnable quit,
            javafx.beans.property.BooleanProperty keepRunning) {
        this.keepRunning = keepRunning;
        this.vm = vm;
        this.msg = msg;
        this.background = background;
        this.show = show;
        this.quit = quit;
    }

    /**
     * Starts looking for a tray: the StatusNotifier tray first (on {@code background}), the AWT tray when there is none.
     * {@link #presentProperty} turns true once an icon is in a tray. The StatusNotifier menu has a checkmark for
     * {@code keepRunning} (closing the window leaves the app in the tray).
     */
    static ClientTray start(ClientViewModel vm, Messages msg, Executor background, Runnable show, Runnable quit,
            javafx.beans.property.BooleanProperty keepRunning) {
        ClientTray t = new ClientTray(vm, msg, background, show, quit, keepRunning);
        t.latest = t.model();
        try {
            background.execute(t::registerOnBus);
        } catch (RejectedExecutionException e) {
            LOG.debug("no tray: the app is closing");
        }
        return t;
    }

    private void registerOnBus() {
        Optional<DesktopTray> sni = DesktopTray.register("culvert", "Culvert", latest, new DesktopTray.Actions() {
            @Override
            public void activate() {
                Platform.runLater(show);
            }

            @Override
            public void clicked(int id) {
                Platform.runLater(() -> ClientTray.this.clicked(id));
            }
        });
        Platform.runLater(() -> {
            if (closed) {
                sni.ifPresent(DesktopTray::close);
                return;
            }
            if (sni.isPresent()) {
                desktop = sni.get();
                follow();
                publish();
            } else {
                latest = model();
                awt = AwtTray.install(latest, vm.connection().phase(), this::clicked, show).orElse(null);
                if (awt != null) {
                    follow();
                }
            }
            present.set(desktop != null || awt != null);
            searched = true;
        });
    }

    private void follow() {
        ConnectionModel c = vm.connection();
        c.phaseProperty().addListener((o, a, b) -> publish());
        c.profileProperty().addListener((o, a, b) -> publish());
        vm.profiles().addListener((ListChangeListener<ProfileSummary>) ch -> publish());
        keepRunning.addListener((o, a, b) -> publish());
    }

    /**
     * Builds the picture now and shows it: in the AWT menu, or sent to the panel on the background (each send carries
     * the latest).
     */
    private void publish() {
        if (closed) {
            return;
        }
        if (awt != null) {
            latest = model();
            awt.show(latest, vm.connection().phase());
            return;
        }
        if (desktop == null) {
            return;
        }
        latest = model();
        try {
            background.execute(() -> {
                synchronized (publishing) {
                    DesktopTray d = desktop;
                    if (d != null) {
                        d.update(latest);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("tray not updated: the app is closing");
        }
    }

    /** The state in a few words: "Connected: office", "Not connected". */
    static String stateLine(ConnectionModel c, Messages msg) {
        String profile = c.profileProperty().get();
        return switch (c.phase()) {
            case IDLE -> msg.get("tray.state.idle");
            case CONNECTING -> msg.get("title.connecting", profile);
            case CONNECTED -> msg.get("title.connected", profile);
            case DISCONNECTING -> msg.get("title.disconnecting", profile);
            case FAILED -> msg.get("title.failed", profile);
        };
    }

    /** What the tray shows for the connection and the profile list now. */
    TrayModel model() {
        ConnectionModel c = vm.connection();
        ConnectionModel.Phase phase = c.phase();
        boolean running = phase == ConnectionModel.Phase.CONNECTING || phase == ConnectionModel.Phase.CONNECTED;
        String line = stateLine(c, msg);
        List<Item> items = new ArrayList<>();
        items.add(Item.text(STATE, line));
        items.add(Item.separator(10));
        for (ProfileSummary p : vm.profiles()) {
            int id = profileIds.computeIfAbsent(p.name(), n -> {
                int next = FIRST_PROFILE + profileIds.size();
                profileById.put(next, n);
                return next;
            });
            boolean on = running && p.name().equals(c.profileProperty().get());
            items.add(Item.radio(id, p.name(), on).enabled(phase != ConnectionModel.Phase.DISCONNECTING));
        }
        if (!vm.profiles().isEmpty()) {
            items.add(Item.separator(11));
        }
        items.add(Item.action(DISCONNECT, msg.plain("action.disconnect")).enabled(running));
        items.add(Item.action(SHOW, msg.get("tray.show")));
        items.add(new Item(KEEP_RUNNING, msg.get("tray.keep"), true, TrayModel.Toggle.CHECKMARK, keepRunning.get(), false));
        items.add(Item.action(QUIT, msg.get("tray.quit")));
        TrayModel.Status status = switch (phase) {
            case IDLE -> TrayModel.Status.PASSIVE;
            case FAILED -> TrayModel.Status.NEEDS_ATTENTION;
            default -> TrayModel.Status.ACTIVE;
        };
        return new TrayModel(status, "Culvert", line, TrayIcons.pixmaps(phase), items);
    }

    /** A click on the menu item {@code id}; on the FX thread. */
    void clicked(int id) {
        switch (id) {
            case DISCONNECT -> vm.disconnect();
            case SHOW -> show.run();
            case QUIT -> quit.run();
            case KEEP_RUNNING -> keepRunning.set(!keepRunning.get());
            default -> {
                String name = profileById.get(id);
                if (name != null) {
                    ConnectionModel c = vm.connection();
                    boolean running = c.phase() == ConnectionModel.Phase.CONNECTING || c.phase() == ConnectionModel.Phase.CONNECTED;
                    if (running && name.equals(c.profileProperty().get())) {
                        vm.disconnect();
                    } else {
                        vm.connectProfile(name);
                    }
                }
            }
        }
    }

    /** True once the search for a tray has ended, with or without one; on the FX thread. */
    boolean searched() {
        return searched;
    }

    /** True once an icon is in a tray (StatusNotifier or AWT). */
    ReadOnlyBooleanProperty presentProperty() {
        return present.getReadOnlyProperty();
    }

    /** Says something from the tray: a balloon from the AWT icon; false where the tray cannot (the caller notifies). */
    boolean tell(String title, String text) {
        if (awt != null) {
            awt.tell(title, text);
            return true;
        }
        return false;
    }

    /** Takes the icon out of the tray. */
    void close() {
        closed = true;
        present.set(false);
        DesktopTray d = desktop;
        desktop = null;
        if (d != null) {
            d.close();
        }
        if (awt != null) {
            awt.remove();
            awt = null;
        }
    }
}
