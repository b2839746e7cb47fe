package io.culvert.engine.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code PUSH_UPDATE} control message (OpenVPN 2.7): options a server sends to a connected client, each as in a
 * {@code PUSH_REPLY} but optionally prefixed with {@code -} (remove every option of that kind) and/or {@code ?}
 * (dispensable: a client that cannot update it ignores it instead of refusing the message), in that order. A long
 * update is split like a reply: every part but the last ends with {@code push-continuation 2}, the last with
 * {@code push-continuation 1}; {@code continuation} is 0, 1 or 2 and the marker itself is not an item. Immutable.
 */
public record PushUpdate(List<Item> items, int continuation) {

    public static final String PREFIX = "PUSH_UPDATE";

    /** Options OpenVPN 2.7 lets an update change ({@code updatable_options} in options_util.c). */
    public static final Set<String> UPDATABLE = Set.of("block-ipv6", "block-outside-dns", "dhcp-option", "dns",
            "ifconfig", "ifconfig-ipv6", "push-continuation", "redirect-gateway", "redirect-private", "route",
            "route-gateway", "route-ipv6", "route-metric", "topology", "tun-mtu", "keepalive");

    private static final String CONTINUATION = "push-continuation";

    /** A message that is not a well-formed PUSH_UPDATE; the message says what is wrong. */
    public static final class MalformedUpdateException extends Exception {
        public MalformedUpdateException(String message) {
            super(message);
        }
    }

    /**
     * One option of an update.
     *
     * @param words the option as config-file words, without the {@code -}/{@code ?} prefixes
     * @param remove {@code -}: remove every option of this kind (takes no arguments)
     * @param optional {@code ?}: ignore it rather than refuse the update when it cannot be applied
     */
    public record Item(List<String> words, boolean remove, boolean optional) {
        public Item {
            words = List.copyOf(words);
            if (words.isEmpty()) {
                throw new IllegalArgumentException("empty option");
            }
            for (String w : words) {
                if (!printable(w) || w.indexOf(',') >= 0) {
                    throw new IllegalArgumentException("option word not printable or has a comma: " + w);
                }
            }
        }

        public String name() {
            return words.getFirst();
        }

        /** Whether OpenVPN 2.7 lets an update carry this option. */
        public boolean updatable() {
            return UPDATABLE.contains(name()) && !name().equals(CONTINUATION);
        }

        /** The option as sent: prefixes, then the words. */
        public String text() {
            return (remove ? "-" : "") + (optional ? "?" : "") + OptionWords.join(words);
        }

        @Override
        public String toString() {
            return text();
        }
    }

    public PushUpdate {
        if (continuation < 0 || continuation > 2) {
            throw new IllegalArgumentException("continuation must be 0, 1 or 2");
        }
        items = List.copyOf(items);
    }

    /** Whether this message ends the update (no marker, or marker 1). */
    public boolean isComplete() {
        return continuation != 2;
    }

    /**
     * Parses a control message. Refused with a reason when it does not start with {@code PUSH_UPDATE} followed by a
     * comma or its end, a quote is not closed, a word is not printable ASCII, a {@code -} or {@code ?} stands alone,
     * {@code ?} is followed by {@code -} (2.7's order is {@code -?}), a removal carries arguments, or the
     * continuation marker is not {@code 1} or {@code 2}. Empty options are skipped. Whether the options may be
     * updated is not checked here ({@link Item#updatable()}).
     */
    public static PushUpdate parse(String message) throws MalformedUpdateException {
        if (!message.startsWith(PREFIX)
                || (message.length() > PREFIX.length() && message.charAt(PREFIX.length()) != ',')) {
            throw new MalformedUpdateException("not a PUSH_UPDATE message");
        }
        List<Item> items = new ArrayList<>();
        int continuation = 0;
        String body = message.length() > PREFIX.length() ? message.substring(PREFIX.length() + 1) : "";
        for (Item item : parseOptions(body)) {
            if (item.name().equals(CONTINUATION)) {
                List<String> w = item.words();
                if (item.remove() || item.optional() || w.size() != 2 || !(w.get(1).equals("1") || w.get(1).equals("2"))) {
                    throw new MalformedUpdateException("bad continuation marker '" + item.text() + "'");
                }
                continuation = w.get(1).charAt(0) - '0';
            } else {
                items.add(item);
            }
        }
        return new PushUpdate(items, continuation);
    }

    /**
     * Parses comma-separated options as the management commands {@code push-update-cid} and
     * {@code push-update-broad} take them ({@code "route 10.9.0.0 255.255.255.0, -dns"}), with the rules of
     * {@link #parse}.
     */
    public static List<Item> parseOptions(String text) throws MalformedUpdateException {
        List<Item> items = new ArrayList<>();
        for (String option : text.split(",", -1)) {
            String s = option.stripLeading();
            if (s.isEmpty()) {
                continue;
            }
            boolean remove = false;
            boolean optional = false;
            if (s.charAt(0) == '-') {
                remove = true;
                s = s.substring(1);
            }
            if (!s.isEmpty() && s.charAt(0) == '?') {
                optional = true;
                s = s.substring(1);
            }
            if (s.isEmpty() || (optional && s.charAt(0) == '-') || Character.isWhitespace(s.charAt(0))) {
                throw new MalformedUpdateException("bad option prefix in '" + option.strip() + "'");
            }
            if (!printable(s)) {
                throw new MalformedUpdateException("option is not printable ASCII: '" + option.strip() + "'");
            }
            Optional<List<String>> words = OptionWords.split(s);
            if (words.isEmpty()) {
                throw new MalformedUpdateException("unclosed quote in '" + option.strip() + "'");
            }
            if (words.get().isEmpty()) {
                continue;
            }
            if (remove && words.get().size() > 1) {
                throw new MalformedUpdateException("a removal takes no arguments: '" + option.strip() + "'");
            }
            items.add(new Item(words.get(), remove, optional));
        }
        return items;
    }

    /** The message text: {@code PUSH_UPDATE,opt,opt[,push-continuation N]}, without NUL. */
    public String toMessage() {
        StringBuilder sb = new StringBuilder(PREFIX);
        for (Item i : items) {
            sb.append(',').append(i.text());
        }
        if (continuation != 0) {
            sb.append(',').append(CONTINUATION).append(' ').append(continuation);
        }
        return sb.toString();
    }

    /**
     * Splits the items into messages of at most {@link PushReply#BUNDLE_SIZE} bytes as a 2.7 server does: a part
     * closes when the next option would pass {@code 1024 - 84 - 12} bytes; every part but the last ends with
     * {@code push-continuation 2}, the last with {@code push-continuation 1}. An update that fits in one message
     * gets no marker. Refused (IllegalArgumentException) when there is nothing to send or one option alone is
     * too long.
     */
    public static List<PushUpdate> split(List<Item> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("an update needs at least one option");
        }
        int cap = PushReply.BUNDLE_SIZE - PushReply.BUNDLE_RESERVE - (PREFIX.length() + 1);
        List<List<Item>> bundles = PushReply.bundles(items, PREFIX.length(), cap, i -> i.text().length(), Item::name);
        List<PushUpdate> parts = new ArrayList<>();
        for (int i = 0; i < bundles.size(); i++) {
            parts.add(new PushUpdate(bundles.get(i), PushReply.continuation(i, bundles.size())));
        }
        return parts;
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
