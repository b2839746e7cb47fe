package io.culvert.engine.protocol;

import io.culvert.engine.common.Decoded;
import io.culvert.engine.common.DropReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A {@code PUSH_REPLY} control message: comma-separated options, each a list of config-file words.
 * {@code continuation} is 0 (no marker, complete), 1 (last part of a split reply) or 2 (more parts
 * follow); the {@code push-continuation} option itself is not in {@code options}. Immutable.
 */
public record PushReply(List<List<String>> options, int continuation) {

    public static final String PREFIX = "PUSH_REPLY";
    /** Size a 2.6 server keeps each PUSH_REPLY message within ({@code PUSH_BUNDLE_SIZE}). */
    public static final int BUNDLE_SIZE = 1024;
    /** Room 2.6 keeps free at the end of a bundle for the continuation marker and safety. */
    static final int BUNDLE_RESERVE = 84;

    private static final String CONTINUATION = "push-continuation";

    public PushReply {
        if (continuation < 0 || continuation > 2) {
            throw new IllegalArgumentException("continuation must be 0, 1 or 2");
        }
        options = options.stream().map(List::copyOf).toList();
        for (List<String> words : options) {
            if (words.isEmpty()) {
                throw new IllegalArgumentException("empty option");
            }
            for (String w : words) {
                for (int i = 0; i < w.length(); i++) {
                    char c = w.charAt(i);
                    if (c == ',' || c < 0x20 || c >= 0x7F) {
                        throw new IllegalArgumentException("option word not printable or has a comma: " + w);
                    }
                }
            }
        }
    }

    /** Whether this message completes the reply (no marker, or marker 1). */
    public boolean isComplete() {
        return continuation != 2;
    }

    /** The first option whose first word is {@code name}. */
    public Optional<List<String>> find(String name) {
        return options.stream().filter(o -> o.getFirst().equals(name)).findFirst();
    }

    /**
     * Parses a control message. MALFORMED if it does not start with {@code PUSH_REPLY}, a quote is
     * not closed, or the continuation marker is not {@code 1} or {@code 2}. Empty options are skipped.
     */
    public static Decoded<PushReply> parse(String message) {
        if (!message.startsWith(PREFIX)
                || (message.length() > PREFIX.length() && message.charAt(PREFIX.length()) != ',')) {
            return Decoded.drop(DropReason.MALFORMED);
        }
        List<List<String>> options = new ArrayList<>();
        int continuation = 0;
        for (String text : message.substring(PREFIX.length()).split(",", -1)) {
            Optional<List<String>> words = OptionWords.split(text);
            if (words.isEmpty()) {
                return Decoded.drop(DropReason.MALFORMED);
            }
            List<String> w = words.get();
            if (w.isEmpty()) {
                continue;
            }
            for (String word : w) {
                if (!printable(word)) {
                    return Decoded.drop(DropReason.MALFORMED);
                }
            }
            if (w.getFirst().equals(CONTINUATION)) {
                if (w.size() != 2 || !(w.get(1).equals("1") || w.get(1).equals("2"))) {
                    return Decoded.drop(DropReason.MALFORMED);
                }
                continuation = w.get(1).charAt(0) - '0';
            } else {
                options.add(w);
            }
        }
        return Decoded.ok(new PushReply(options, continuation));
    }

    /** The message text: {@code PUSH_REPLY,opt,opt[,push-continuation N]}, without NUL. */
    public String toMessage() {
        StringBuilder sb = new StringBuilder(PREFIX);
        for (List<String> o : options) {
            sb.append(',').append(OptionWords.join(o));
        }
        if (continuation != 0) {
            sb.append(',').append(CONTINUATION).append(' ').append(continuation);
        }
        return sb.toString();
    }

    /**
     * Splits the options into messages of at most {@link #BUNDLE_SIZE} bytes the way a 2.6 server does:
     * a part closes when the next option would pass {@code 1024 - 84} bytes; every part but the last ends
     * with {@code push-continuation 2}, the last with {@code push-continuation 1}. A reply that fits in
     * one message gets no marker.
     */
    public static List<PushReply> split(List<List<String>> options) {
        List<List<List<String>>> bundles = bundles(options, PREFIX.length(), BUNDLE_SIZE - BUNDLE_RESERVE,
                o -> OptionWords.join(o).length(), List::getFirst);
        List<PushReply> parts = new ArrayList<>();
        for (int i = 0; i < bundles.size(); i++) {
            parts.add(new PushReply(bundles.get(i), continuation(i, bundles.size())));
        }
        return parts;
    }

    /**
     * Packs {@code items} in order into bundles whose text ({@code prefixLength}, then a comma and each item) stays
     * within {@code cap} characters, as OpenVPN's push code closes a message when the next option would pass it;
     * refused (IllegalArgumentException) when one item alone does not fit. Shared by PUSH_REPLY and PUSH_UPDATE.
     */
    static <T> List<List<T>> bundles(List<T> items, int prefixLength, int cap, ToIntFunction<T> textLength,
            Function<T, String> name) {
        List<List<T>> bundles = new ArrayList<>();
        List<T> current = new ArrayList<>();
        int size = prefixLength;
        for (T item : items) {
            int len = 1 + textLength.applyAsInt(item);
            if (prefixLength + len > cap) {
                throw new IllegalArgumentException("option too long to push: " + name.apply(item));
            }
            if (!current.isEmpty() && size + len > cap) {
                bundles.add(current);
                current = new ArrayList<>();
                size = prefixLength;
            }
            current.add(item);
            size += len;
        }
        bundles.add(current);
        return bundles;
    }

    /** The {@code push-continuation} of part {@code index} of {@code count}: 0 alone, 2 before the last, 1 last. */
    static int continuation(int index, int count) {
        return count == 1 ? 0 : index < count - 1 ? 2 : 1;
    }

    /** Joins the parts of a split reply in order; the result is marked complete. */
    public static PushReply merge(List<PushReply> parts) {
        List<List<String>> all = new ArrayList<>();
        parts.forEach(p -> all.addAll(p.options));
        return new PushReply(all, 0);
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }
}
