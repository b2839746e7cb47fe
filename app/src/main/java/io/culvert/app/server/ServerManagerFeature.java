package io.culvert.app.server;

import io.culvert.app.AppContext;
import io.culvert.app.common.FxBridge;
import io.culvert.app.common.Messages;
import io.culvert.app.shell.Feature;
import java.time.InstantSource;
import javafx.application.Platform;
import javafx.scene.Node;

/** The server face: create servers, start and stop them, manage their clients, watch who is connected. */
public final class ServerManagerFeature implements Feature {
    private final AppContext context;
    private final Messages messages = Messages.of("server");
    private final ServerManagerViewModel viewModel;
    private ServerManagerView view;
    private FilePicker files = FilePicker.SYSTEM;

    public ServerManagerFeature(AppContext context) {
        this.context = context;
        this.viewModel = new ServerManagerViewModel(context.servers(), context.background(), Platform::runLater, FxBridge::new,
                InstantSource.system(), messages);
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
            view = new ServerManagerView(viewModel, messages, InstantSource.system(), "");
            view.filePicker(files);
            viewModel.refresh();
        }
        return view.root();
    }

    /** The view model (tests and the screenshot command drive it directly). */
    public ServerManagerViewModel viewModel() {
        return viewModel;
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
    }
}
