package io.culvert.engine.config.file;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A config file after lexing, kept whole: its {@link Line}s in file order (comments and blank lines
 * included), and derived from them the top-level directives (a {@code <connection>} block appears as
 * one {@code connection} directive whose inline content is the block text), the directives of each
 * connection block, and the text lines. Nothing is checked against the catalogue here (that is
 * {@code Directives.validate} in the model, one layer up). Instances are immutable.
 */
public final class OvpnFile {
    private final List<Line> body;
    private final List<Directive> directives;
    private final List<List<Directive>> connections;
    private final List<String> lines;

    public OvpnFile(List<Line> body) {
        this.body = List.copyOf(body);
        List<Directive> top = new ArrayList<>();
        List<List<Directive>> blocks = new ArrayList<>();
        for (Line l : this.body) {
            switch (l) {
                case Line.Entry e -> top.add(e.directive());
                case Line.Block b -> top.add(b.directive());
                case Line.Connection c -> {
                    top.add(c.directive());
                    blocks.add(c.directives());
                }
                case Line.Blank b -> { }
                case Line.Comment c -> { }
            }
        }
        this.directives = List.copyOf(top);
        this.connections = List.copyOf(blocks);
        this.lines = List.copyOf(OvpnWriter.preservedLines(this.body));
    }

    /** A file of directives only; each {@code connection} directive takes the next list of {@code connections}. */
    public OvpnFile(List<Directive> directives, List<List<Directive>> connections) {
        this(linesOf(directives, connections));
    }

    /** Lexes {@code text}: syntax, inline blocks and size limits only. */
    public static OvpnFile parse(String text) throws OvpnParseException {
        return new OvpnFileParser(text).parse();
    }

    /** Reads and lexes the config at {@code file}, refusing oversized or unreadable files before reading them. */
    public static OvpnFile load(Path file) throws OvpnParseException {
        return parse(ConfigFiles.readText(file, 0, null, OvpnFileParser.MAX_FILE_CHARS));
    }

    /** Every line of the file in order, comments and blank lines included. */
    public List<Line> body() {
        return body;
    }

    /** Top-level directives in file order. */
    public List<Directive> directives() {
        return directives;
    }

    /** The directives of each {@code <connection>} block, in file order. */
    public List<List<Directive>> connections() {
        return connections;
    }

    /** The text lines as {@link #write()} writes them (for a parsed file: as read, without terminators). */
    public List<String> lines() {
        return lines;
    }

    /** The line as written (without its line terminator), or null if there is no such line. */
    public String originalText(int line) {
        return line >= 1 && line <= lines.size() ? lines.get(line - 1) : null;
    }

    /** The file as text with every comment and blank line kept; parsing it gives back an equal file. */
    public String write() {
        return OvpnWriter.write(this, OvpnWriter.Mode.PRESERVING);
    }

    /** The directives only, normalised, for export; parsing it gives a file with the {@link #sameDirectives same directives}. */
    public String writeCanonical() {
        return OvpnWriter.write(this, OvpnWriter.Mode.CANONICAL);
    }

    /**
     * True when both files hold the same directives with the same arguments and inline contents in the
     * same order, inside and outside connection blocks, ignoring line numbers, comments and layout.
     */
    public boolean sameDirectives(OvpnFile other) {
        return signature(directives).equals(signature(other.directives))
                && connections.stream().map(OvpnFile::signature).toList()
                        .equals(other.connections.stream().map(OvpnFile::signature).toList());
    }

    private static List<List<Object>> signature(List<Directive> ds) {
        return ds.stream().map(d -> List.<Object>of(d.name(), d.args(),
                d.name().equals("connection") || !d.isInline() ? "" : d.inlineContent())).toList();
    }

    private static List<Line> linesOf(List<Directive> directives, List<List<Directive>> connections) {
        List<Line> out = new ArrayList<>();
        int block = 0;
        for (Directive d : directives) {
            if (d.isInline() && d.name().equals("connection")) {
                out.add(new Line.Connection(d.line(), linesOf(connections.get(block++), List.of()), null, null));
            } else {
                out.add(d.isInline() ? Line.Block.of(d) : Line.Entry.of(d));
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OvpnFile f && body.equals(f.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(body);
    }

    @Override
    public String toString() {
        return "OvpnFile[" + directives.size() + " directives, " + lines.size() + " lines]";
    }
}
