package io.culvert.app.client;

import io.culvert.app.common.Messages;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.ProfileException;
import java.time.ZoneId;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TextArea;

/** Failures in words a user understands (from the bundle), with the technical detail behind "Details". Stateless. */
final class ErrorText {
    private static final int LOG_TAIL = 30;

    private ErrorText() {}

    /** What went wrong, in words: {@code error.<KIND>}. */
    static String message(Messages msg, ErrorKind kind) {
        return msg.get("error." + kind.name());
    }

    /** What the user can do about it: {@code error.<KIND>.hint}. */
    static String hint(Messages msg, ErrorKind kind) {
        return msg.get("error." + kind.name() + ".hint");
    }

    static String profileMessage(Messages msg, ProfileException e) {
        return msg.get("profile.error." + e.kind().name(), e.getMessage());
    }

    /** The technical detail: the error kind, the engine's detail and the last log lines. */
    static String details(ConnectionModel.Failure f, LogModel log) {
        StringBuilder sb = new StringBuilder(f.kind().name()).append('\n');
        if (f.detail() != null && !f.detail().isBlank()) {
            sb.append(f.detail()).append('\n');
        }
        List<LogModel.Entry> all = log.all();
        if (!all.isEmpty()) {
            sb.append('\n');
            all.subList(Math.max(0, all.size() - LOG_TAIL), all.size())
                    .forEach(e -> sb.append(e.format(ZoneId.systemDefault())).append('\n'));
        }
        return sb.toString();
    }

    /**
     * An error dialog: the message, the hint, and the details in the expandable area (shown expanded). Titled
     * "Connection failed" only when the attempt ended; while the engine still retries ({@code retrying}) it is a
     * warning titled for what is happening.
     */
    static void showDetails(Messages msg, Node owner, ConnectionModel.Failure f, LogModel log, boolean retrying) {
        if (f == null) {
            return;
        }
        Alert a = new Alert(retrying ? Alert.AlertType.WARNING : Alert.AlertType.ERROR, hint(msg, f.kind()), ButtonType.CLOSE);
        if (owner.getScene() != null) {
            a.initOwner(owner.getScene().getWindow());
        }
        a.setTitle(msg.get(retrying ? "retrying.title" : "error.title"));
        a.setHeaderText(message(msg, f.kind()));
        TextArea detail = new TextArea(details(f, log));
        detail.setId("error-detail-text");
        detail.setEditable(false);
        detail.setWrapText(true);
        detail.setPrefRowCount(12);
        a.getDialogPane().setExpandableContent(detail);
        a.getDialogPane().setExpanded(true);
        a.getDialogPane().setId("error-dialog");
        a.setResizable(true);
        io.culvert.app.common.Fit.dialog(a);
        a.show();
    }
}
