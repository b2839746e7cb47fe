package io.culvert.app.server;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.EngineException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.StringProperty;

/**
 * Runs a view model's work off the FX thread and applies its result on the UI executor: {@code busy} is true while
 * any call is in flight, a failure is written into {@code status} as "failed: …" with the engine's detail. The view
 * model keeps its own properties; this class only drives them. Confined to the UI thread like its view model.
 */
final class BackgroundTasks {
    private final Executor background;
    private final Executor ui;
    private final Messages messages;
    private final BooleanProperty busy;
    private final StringProperty status;
    private final Runnable onClosed;
    private int inFlight;

    /** @param onClosed runs (on the caller's thread) when the background executor refuses work: the app is closing */
    BackgroundTasks(Executor background, Executor ui, Messages messages, BooleanProperty busy, StringProperty status,
            Runnable onClosed) {
        this.background = background;
        this.ui = ui;
        this.messages = messages;
        this.busy = busy;
        this.status = status;
        this.onClosed = onClosed;
    }

    /** Runs {@code work} in the background, then {@code apply} (or the error into the status) on the UI thread. */
    <T> CompletableFuture<T> call(Callable<T> work, Consumer<T> apply) {
        CompletableFuture<T> done = new CompletableFuture<>();
        inFlight++;
        busy.set(true);
        boolean accepted = execute(() -> {
            T value;
            try {
                value = work.call();
            } catch (Exception e) {
                ui.execute(() -> {
                    finished();
                    // the kind is for logs and the CLI; the admin reads what went wrong
                    String why = e instanceof EngineException ee ? ee.detail() : e.getMessage();
                    status.set(messages.get("status.failed", Optional.ofNullable(why).orElse(e.toString())));
                    done.completeExceptionally(e);
                });
                return;
            }
            ui.execute(() -> {
                finished();
                try {
                    apply.accept(value);
                    done.complete(value);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        });
        if (!accepted) {
            finished();
            done.completeExceptionally(new RejectedExecutionException("the app is closing"));
        }
        return done;
    }

    /** Hands work to the background executor; false once it has shut down (the app is closing). */
    boolean execute(Runnable work) {
        try {
            background.execute(work);
            return true;
        } catch (RejectedExecutionException e) {
            onClosed.run();
            return false;
        }
    }

    private void finished() {
        inFlight--;
        busy.set(inFlight > 0);
    }
}
