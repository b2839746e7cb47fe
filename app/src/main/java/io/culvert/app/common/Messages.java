package io.culvert.app.common;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * User-visible strings, from one resource bundle per feature ({@code io/culvert/app/<feature>/messages.properties}),
 * so features add strings without touching each other's files. Immutable.
 */
public final class Messages {
    private final ResourceBundle bundle;

    private Messages(ResourceBundle bundle) {
        this.bundle = bundle;
    }

    /** The bundle of the feature package {@code io.culvert.app.<feature>}. */
    public static Messages of(String feature) {
        return new Messages(ResourceBundle.getBundle("io.culvert.app." + feature + ".messages", Locale.getDefault()));
    }

    public String get(String key, Object... args) {
        try {
            String text = bundle.getString(key);
            return args.length == 0 ? text : MessageFormat.format(text, args);
        } catch (MissingResourceException e) {
            return "!" + key + "!";
        }
    }
}
