package io.culvert.app.client;

import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

/** The client face's keyboard shortcuts (Ctrl, or Cmd on a Mac). */
final class ClientShortcuts {
    /** Connect / Disconnect the selected profile. */
    static final KeyCombination CONNECT = new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN);
    /** Import a profile. */
    static final KeyCombination IMPORT = new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN);

    /** Quit the app (disconnecting), where closing the window only hides it. */
    static final KeyCombination QUIT = new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN);

    private ClientShortcuts() {}

    /** A shortcut as people write it: "Ctrl+Enter" (JavaFX would print a return arrow). */
    static String text(KeyCombination k) {
        return k.getDisplayText().replace("\u21B5", "Enter");
    }
}
