package io.culvert.engine.config;

import java.util.List;

/**
 * A config file after lexing: top-level directives in file order (a {@code <connection>} block
 * appears as one {@code connection} directive whose inline content is the block text), the parsed
 * directives of each connection block in order, and the raw lines for a writer. Nothing is checked
 * against the catalogue here; see {@link #validate(boolean)}. Instances are immutable.
 */
public record OvpnFile(List<Directive> directives, List<List<Directive>> connections, List<String> lines) {

    public OvpnFile {
        directives = List.copyOf(directives);
        connections = connections.stream().map(List::copyOf).toList();
        lines = List.copyOf(lines);
    }

    public OvpnFile(List<Directive> directives, List<List<Directive>> connections) {
        this(directives, connections, List.of());
    }

    /** Lexes {@code text}: syntax, inline blocks and size limits only. */
    public static OvpnFile parse(String text) throws OvpnParseException {
        return new OvpnFileParser(text).parse();
    }

    /**
     * Checks every directive against {@link Directives} (unknown names, argument counts, inline and
     * connection-block placement) and returns the warnings for unknown directives that were ignored.
     * Works for client and server files alike.
     */
    public List<String> validate(boolean ignoreUnknown) throws OvpnParseException {
        return DirectiveValidator.validate(this, ignoreUnknown).warnings();
    }

    /** The line as written (without its line terminator), or null if raw lines were not kept. */
    public String originalText(int line) {
        return line >= 1 && line <= lines.size() ? lines.get(line - 1) : null;
    }
}
