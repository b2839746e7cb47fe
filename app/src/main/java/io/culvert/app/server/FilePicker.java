package io.culvert.app.server;

import java.io.File;
import java.nio.file.Path;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Asks the user for a file to open or save; the app uses the platform's chooser, tests answer with a path. */
public interface FilePicker {

    /** A file to read, or null when cancelled. */
    Path open(Window owner, String title, FileChooser.ExtensionFilter filter);

    /** A file to write, or null when cancelled. */
    Path save(Window owner, String title, String initialName, FileChooser.ExtensionFilter filter);

    /** The platform's file chooser. */
    FilePicker SYSTEM = new FilePicker() {
        @Override
        public Path open(Window owner, String title, FileChooser.ExtensionFilter filter) {
            File f = chooser(title, filter).showOpenDialog(owner);
            return f == null ? null : f.toPath();
        }

        @Override
        public Path save(Window owner, String title, String initialName, FileChooser.ExtensionFilter filter) {
            FileChooser c = chooser(title, filter);
            c.setInitialFileName(initialName);
            File f = c.showSaveDialog(owner);
            return f == null ? null : f.toPath();
        }

        private static FileChooser chooser(String title, FileChooser.ExtensionFilter filter) {
            FileChooser c = new FileChooser();
            c.setTitle(title);
            c.getExtensionFilters().setAll(filter, new FileChooser.ExtensionFilter("*", "*"));
            return c;
        }
    };
}
