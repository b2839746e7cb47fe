package io.culvert.app.common;

import io.culvert.engine.api.EngineEvent;
import io.culvert.engine.api.EngineListener;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * The one adapter through which engine events reach the FX thread: engine threads call {@link #onEvent}, the
 * consumer runs on the FX thread. View models are updated only there.
 */
public final class FxBridge implements EngineListener {
    private final Consumer<EngineEvent> onFxThread;

    public FxBridge(Consumer<EngineEvent> onFxThread) {
        this.onFxThread = onFxThread;
    }

    @Override
    public void onEvent(EngineEvent event) {
        if (Platform.isFxApplicationThread()) {
            onFxThread.accept(event);
        } else {
            Platform.runLater(() -> onFxThread.accept(event));
        }
    }
}
