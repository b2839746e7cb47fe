package io.culvert.app.common;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * User-visible strings, from one resource bundle per feature ({@code io/culvert/app/<feature>/messages.properties}),
 * so features add strings without touching each other's files. Immutable.
 *
 * <p>Under the pseudo-locale {@link #PSEUDO} ({@code en-XA}, the usual pseudo-locale tag) every string comes back
 * accented, bracketed and 40 % longer, so a layout can be checked against translations before there are any
 * (docs/adr/0024).
 */
public final class Messages {
    /** The pseudo-locale: English strings accented, bracketed and made 40 % longer. */
    public static final Locale PSEUDO = Locale.forLanguageTag("en-XA");
    private static final String ACCENTED_FROM = "aceinouyACEINOUY";
    private static final String ACCENTED_TO = "åçéîñöûýÅÇÉÎÑÖÛÝ";
    private static final String FILLER = " ļöŕéḿ îþšûḿ ðöļöŕ šîţ åḿéţ çöñšéçţéţûŕ åðîþîšçîñĝ éļîţ šéð ðö éîûšḿöð ţéḿþöŕ";
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
            if (PSEUDO.equals(Locale.getDefault())) {
                text = pseudo(text);
            }
            return args.length == 0 ? text.replace("''", "'") : MessageFormat.format(text, args);
        } catch (MissingResourceException e) {
            return "!" + key + "!";
        }
    }

    /**
     * The string {@code key} without its mnemonic marker ({@code "_Connect"} → {@code "Connect"}), for places that
     * show it as plain text (a tray menu, a notification) rather than as a control's label.
     */
    public String plain(String key, Object... args) {
        return get(key, args).replaceFirst("_(?=.)", "");
    }

    /**
     * {@code text} in the pseudo-locale: letters outside {@code {…}} arguments and quotes accented, then a filler
     * that makes it 40 % longer, in brackets. Multi-line text grows on its longest line.
     */
    static String pseudo(String text) {
        StringBuilder sb = new StringBuilder("[");
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == '{' && !quoted) {
                depth++;
            } else if (c == '}' && !quoted) {
                depth--;
            }
            int a = ACCENTED_FROM.indexOf(c);
            sb.append(depth == 0 && !quoted && a >= 0 ? ACCENTED_TO.charAt(a) : c);
        }
        int longest = text.lines().mapToInt(String::length).max().orElse(0);
        int extra = (int) Math.ceil(longest * 0.4);
        for (int i = 0; i < extra; i++) {
            sb.append(FILLER.charAt(i % FILLER.length()));
        }
        return sb.append(']').toString();
    }
}
