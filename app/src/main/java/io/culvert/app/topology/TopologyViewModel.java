package io.culvert.app.topology;

import io.culvert.app.common.Formats;
import io.culvert.app.common.FxBridge;
import io.culvert.app.common.Messages;
import io.culvert.engine.api.Demo;
import io.culvert.engine.api.DemoEngine;
import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.PathCheck;
import io.culvert.engine.api.ServerHandle;
import io.culvert.engine.common.Threads;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State of the topology screen: the sources to choose from, the chosen one, the {@link TopologyModel} fed by a
 * poller (one background thread asks the server for its instances and counters every {@code pollMillis} and hands
 * the snapshot to the FX thread), the selected instance, Kick, and the demo. Properties and the model belong to the
 * FX thread; engine calls run on the background executor or the poller.
 */
public final class TopologyViewModel {
    /** Selection value when nothing is selected. */
    public static final int NONE = Integer.MIN_VALUE;
    private static final Logger LOG = LoggerFactory.getLogger(TopologyViewModel.class);
    private static final int DEMO_CLIENTS = 6;

    private final TopologyModel model = new TopologyModel();
    private final ObservableList<TopologySource> sources = FXCollections.observableArrayList();
    private final ObjectProperty<TopologySource> source = new SimpleObjectProperty<>();
    private final IntegerProperty selected = new SimpleIntegerProperty(NONE);
    private final LongProperty version = new SimpleLongProperty();
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty demoRunning = new SimpleBooleanProperty();
    private final BooleanProperty demoBusy = new SimpleBooleanProperty();
    private final BooleanProperty storm = new SimpleBooleanProperty();
    private final BooleanProperty probe = new SimpleBooleanProperty(true);
    private final BooleanProperty pathBusy = new SimpleBooleanProperty();
    private final ObjectProperty<PathCheck> pathCheck = new SimpleObjectProperty<>();
    private final ObjectProperty<PathHighlight> pathHighlight = new SimpleObjectProperty<>();
    private final StringProperty pathMessage = new SimpleStringProperty("");
    private final DemoEngine demos;
    private final ExecutorService background;
    private final ScheduledExecutorService poller;
    private final Messages messages;
    private volatile TopologySource current;
    private volatile Demo demo;
    private TopologySource demoSource;

    public TopologyViewModel(DemoEngine demos, ExecutorService background, long pollMillis) {
        this.demos = demos;
        this.background = background;
        this.messages = Messages.of("topology");
        this.poller = Executors.newSingleThreadScheduledExecutor(Threads.platform("culvert-topology-poll").daemon().factory());
        source.addListener((obs, old, now) -> {
            current = now;
            model.clear();
            selected.set(NONE);
            clearPath();
            version.set(version.get() + 1);
            pollNow();
        });
        storm.addListener((obs, old, on) -> {
            Demo d = demo;
            if (d != null) {
                background.execute(() -> d.storm(on));
            }
        });
        poller.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        status.set(messages.get("status.none"));
    }

    /** Asks for a snapshot now (after a kick, or when an instance came or went), besides the regular polls. */
    public void pollNow() {
        if (!poller.isShutdown()) {
            poller.execute(this::poll);
        }
    }

    private void poll() {
        TopologySource s = current;
        if (s == null) {
            return;
        }
        try {
            TopologySnapshot snap;
            if (s.snapshots() != null) {
                snap = s.snapshots().get();
            } else {
                ServerHandle h = s.server().get();
                snap = h == null ? new TopologySnapshot(System.nanoTime(), messages.get("status.down"), List.of(), List.of())
                        : new TopologySnapshot(System.nanoTime(), h.listenAddress(), h.instances(), h.flows());
            }
            Platform.runLater(() -> accept(s, snap));
        } catch (RuntimeException e) {
            LOG.debug("topology poll failed: {}", e.toString());
        }
    }

    /** Applies a snapshot taken from {@code from} (FX thread); ignored if the user switched sources meanwhile. */
    void accept(TopologySource from, TopologySnapshot snap) {
        if (from != source.get()) {
            return;
        }
        model.apply(snap);
        if (selected.get() != NONE && model.node(selected.get()) == null) {
            selected.set(NONE);
        }
        status.set(messages.get("status.live", model.presentCount(), Formats.rate(model.totalBytesPerSecond())));
        version.set(version.get() + 1);
    }

    /** Kicks an instance of the shown server (on the background executor), then polls so it leaves at once. */
    public void kick(int peerId) {
        TopologySource s = current;
        if (s == null) {
            return;
        }
        background.execute(() -> {
            ServerHandle h = s.server().get();
            if (h != null) {
                h.kick(peerId);
            }
            pollNow();
        });
    }

    /**
     * "Why can't {@code from} reach {@code to}?" (ADR 0044): asks the shown server on the background executor (the
     * check watches counters and probes for seconds) and shows the answer, its steps and its highlight on the graph.
     */
    public void checkPath(String from, String to) {
        TopologySource s = current;
        if (s == null || pathBusy.get()) {
            return;
        }
        if (from == null || to == null || from.equals(to)) {
            clearPath();
            pathMessage.set(messages.get("path.choose"));
            return;
        }
        clearPath();
        pathBusy.set(true);
        pathMessage.set(messages.get("path.checking", from, to));
        boolean withProbe = probe.get();
        background.execute(() -> {
            PathCheck check = null;
            String error = null;
            try {
                ServerHandle h = s.server().get();
                if (h == null) {
                    error = messages.get("path.down");
                } else {
                    check = h.diagnose(from, to, withProbe);
                }
            } catch (EngineException e) {
                // A and B are given, so CONFIG_INVALID means this handle cannot check paths: a server culvertd hosts.
                error = e.kind() == ErrorKind.CONFIG_INVALID ? messages.get("path.culvertd")
                        : messages.get("path.failed", e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("path check failed: {}", e.toString());
                error = messages.get("path.failed", e.toString());
            }
            PathCheck answer = check;
            String message = error;
            Platform.runLater(() -> {
                pathBusy.set(false);
                if (s != source.get()) {
                    return;
                }
                pathCheck.set(answer);
                pathHighlight.set(answer == null ? null : PathHighlight.of(answer));
                pathMessage.set(answer == null ? message : answer.summary());
            });
        });
    }

    /** Selects an instance by peer-id, or nothing ({@link #NONE}), which also clears the path check's highlight. */
    public void select(int peer) {
        selected.set(peer);
        if (peer == NONE) {
            clearPath();
        }
    }

    /** Forgets the path check's answer and its highlight (FX thread). */
    public void clearPath() {
        pathCheck.set(null);
        pathHighlight.set(null);
        pathMessage.set("");
    }

    /** Starts the demo on the background executor and shows it once its clients are connected. */
    public void startDemo() {
        if (demoRunning.get() || demoBusy.get()) {
            return;
        }
        demoBusy.set(true);
        status.set(messages.get("status.demo.starting"));
        FxBridge bridge = new FxBridge(this::onEngineEvent);
        background.execute(() -> {
            try {
                Demo d = demos.startDemo(DEMO_CLIENTS, bridge);
                demo = d;
                Platform.runLater(() -> {
                    demoBusy.set(false);
                    demoRunning.set(true);
                    demoSource = new TopologySource(messages.get("source.demo"), d::server);
                    sources.add(0, demoSource);
                    source.set(demoSource);
                });
            } catch (EngineException | RuntimeException e) {
                LOG.warn("demo did not start: {}", e.toString());
                Platform.runLater(() -> {
                    demoBusy.set(false);
                    status.set(messages.get("status.demo.failed", e.getMessage()));
                });
            }
        });
    }

    /** Stops the demo (on the background executor) and removes it from the sources. */
    public void stopDemo() {
        Demo d = demo;
        if (d == null) {
            return;
        }
        demo = null;
        demoRunning.set(false);
        storm.set(false);
        if (demoSource != null) {
            if (source.get() == demoSource) {
                source.set(null);
                status.set(messages.get("status.none"));
            }
            sources.remove(demoSource);
            demoSource = null;
        }
        background.execute(d::stop);
    }

    private void onEngineEvent(EngineEvent e) {
        if (e instanceof EngineEvent.Instance) {
            pollNow();
        }
    }

    /** Stops polling and the demo (app shutdown); waits for the demo so its sockets close. */
    public void shutdown() {
        poller.shutdownNow();
        Demo d = demo;
        demo = null;
        if (d != null) {
            d.stop();
        }
    }

    public TopologyModel model() {
        return model;
    }

    public ObservableList<TopologySource> sources() {
        return sources;
    }

    public ObjectProperty<TopologySource> sourceProperty() {
        return source;
    }

    /** Peer-id of the instance whose panel is open, or {@link #NONE}. */
    public IntegerProperty selectedProperty() {
        return selected;
    }

    /** Grows with every snapshot applied. */
    public ReadOnlyLongProperty versionProperty() {
        return version;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public BooleanProperty demoRunningProperty() {
        return demoRunning;
    }

    public BooleanProperty demoBusyProperty() {
        return demoBusy;
    }

    /** On: the demo's storming client floods broadcasts now. */
    public BooleanProperty stormProperty() {
        return storm;
    }

    /** On (the default): the path check also probes B and measures the path MTU. */
    public BooleanProperty probeProperty() {
        return probe;
    }

    /** True while a path check runs. */
    public BooleanProperty pathBusyProperty() {
        return pathBusy;
    }

    /** The last path check's answer, or null. */
    public ObjectProperty<PathCheck> pathCheckProperty() {
        return pathCheck;
    }

    /** What the graph draws for the last path check, or null. */
    ObjectProperty<PathHighlight> pathHighlightProperty() {
        return pathHighlight;
    }

    /** The path check's one line: its summary, that it runs, or why it could not run. */
    public StringProperty pathMessageProperty() {
        return pathMessage;
    }

    /** The running demo, or null. */
    public Demo demo() {
        return demo;
    }
}
