package io.culvert.app.server;

import io.culvert.app.AppContext;
import io.culvert.app.common.DesktopNotifications;
import io.culvert.app.common.FxBridge;
import io.culvert.app.common.Messages;
import io.culvert.app.shell.Feature;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;

/**
 * The server face: create servers, start and stop them, manage their clients, watch who is connected. Client
 * certificates about to expire are announced on the desktop (once per certificate and run) and shown in the face.
 */
public final class ServerManagerFeature implements Feature {
    private final AppContext context;
    private final Messages messages = Messages.of("server");
    private final ServerManagerViewModel viewModel;
    private final FleetViewModel fleet;
    private final InstantSource clock;
    private final DesktopNotifications desktop = DesktopNotifications.session();
    private final Set<String> warned = new HashSet<>();
    private final Map<String, Integer> shownIds = new java.util.concurrent.ConcurrentHashMap<>();
    private ServerManagerView view;
    private FilePicker files = FilePicker.SYSTEM;

    public ServerManagerFeature(AppContext context) {
        this(context, InstantSource.system());
    }

    /** With {@code clock} for certificate expiry and the clients' status (tests move it). */
    public ServerManagerFeature(AppContext context, InstantSource clock) {
        this.context = context;
        this.clock = clock;
        this.viewModel = new ServerManagerViewModel(context.servers(), context.background(), Platform::runLater, FxBridge::new,
                clock, messages);
        this.fleet = context.fleets() == null ? null : new FleetViewModel(context.fleets(), context.background(), Platform::runLater,
                messages);
        viewModel.expiring().addListener((ListChangeListener<ServerManagerViewModel.ExpiringClient>) c -> announce());
        if (context.servers() != null) {
            viewModel.checkExpiring();
        }
    }

    /** One desktop notification per server for its certificates not announced yet in this run. */
    private void announce() {
        Instant now = clock.instant();
        Map<String, List<ServerManagerViewModel.ExpiringClient>> fresh = new LinkedHashMap<>();
        for (ServerManagerViewModel.ExpiringClient e : viewModel.expiring()) {
            if (warned.add(e.server() + "/" + e.serialHex())) {
                fresh.computeIfAbsent(e.server(), k -> new java.util.ArrayList<>()).add(e);
            }
        }
        fresh.forEach((server, list) -> {
            String title = messages.get("notify.expiring.title", server);
            String body = list.stream().map(e -> expiryText(messages, e, now)).collect(Collectors.joining("\n"));
            try {
                context.background().execute(() -> desktop.show(title, body, true, shownIds.getOrDefault(server, 0))
                        .ifPresent(id -> shownIds.put(server, id)));
            } catch (RejectedExecutionException e) {
                // shutting down: the face shows them while it is open
            }
        });
    }

    /** "alice expires on DATE (N days left)" or "alice expired on DATE", in the desktop's time zone. */
    static String expiryText(Messages m, ServerManagerViewModel.ExpiringClient e, Instant now) {
        String date = LocalDate.ofInstant(e.notAfter(), ZoneId.systemDefault()).toString();
        return e.notAfter().isAfter(now) ? m.get("notify.expiring.client", e.commonName(), date, Duration.between(now, e.notAfter()).toDays())
                : m.get("notify.expired.client", e.commonName(), date);
    }

    @Override
    public String id() {
        return "servers";
    }

    @Override
    public String title() {
        return messages.get("feature.title");
    }

    @Override
    public Node view() {
        if (view == null) {
            view = new ServerManagerView(viewModel, fleet, messages, clock, "");
            view.filePicker(files);
            viewModel.refresh();
        }
        return view.root();
    }

    /** The view model (tests and the screenshot command drive it directly). */
    public ServerManagerViewModel viewModel() {
        return viewModel;
    }

    /** The fleet (issue 15), or null when the context opens none. */
    public FleetViewModel fleetViewModel() {
        return fleet;
    }

    /** Where Back up… and Restore… ask for files (tests answer with a path). */
    public void filePicker(FilePicker picker) {
        files = picker;
        if (view != null) {
            view.filePicker(picker);
        }
    }

    /** Stops the polling and every server this app started. */
    @Override
    public void shutdown() {
        if (view != null) {
            view.stopPolling();
        }
        if (context.servers() != null) { // a context without server administration (the client alone)
            context.servers().close();
        }
        if (fleet != null) {
            fleet.close();
        }
        desktop.close();
    }
}
