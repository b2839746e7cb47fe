package io.culvert.engine.config.file;

import java.util.List;
import java.util.Objects;

/**
 * One element of a config file as written, in file order: a blank line, a comment line, a one-line
 * directive, an inline block such as {@code <ca>}, or a {@code <connection>} block with its own lines.
 * The {@code text}, {@code open} and {@code close} fields hold the line as the user wrote it (null for
 * elements built in code); {@link OvpnWriter} keeps them where they still say the same thing. Instances
 * are immutable.
 */
public sealed interface Line permits Line.Blank, Line.Comment, Line.Entry, Line.Block, Line.Connection {

    /** The 1-based line the element starts on (0 for elements built in code). */
    int line();

    /** An empty or whitespace-only line. */
    record Blank(int line, String text) implements Line {
        public Blank {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A line holding only a comment ({@code #} or {@code ;}), kept verbatim with its indentation. */
    record Comment(int line, String text) implements Line {
        public Comment {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A one-line directive; {@code text} is the line as written (with any trailing comment) or null. */
    record Entry(Directive directive, String text) implements Line {
        public Entry {
            Objects.requireNonNull(directive, "directive");
            if (directive.isInline()) {
                throw new IllegalArgumentException("inline directive '" + directive.name() + "' belongs in a Block");
            }
        }

        public static Entry of(Directive directive) {
            return new Entry(directive, null);
        }

        @Override
        public int line() {
            return directive.line();
        }
    }

    /** An inline block: {@code <name>}, the directive's inline content, {@code </name>}. */
    record Block(Directive directive, String open, String close) implements Line {
        public Block {
            Objects.requireNonNull(directive, "directive");
            if (!directive.isInline() || !directive.args().isEmpty() || directive.name().equals("connection")) {
                throw new IllegalArgumentException("a Block needs an inline directive other than connection");
            }
            String c = directive.inlineContent();
            if (!c.isEmpty() && !c.endsWith("\n")) {
                throw new IllegalArgumentException("inline content must end with a newline");
            }
        }

        public static Block of(Directive directive) {
            return new Block(directive, null, null);
        }

        @Override
        public int line() {
            return directive.line();
        }
    }

    /** A {@code <connection>} block; {@code body} holds its lines (no nested connection blocks). */
    record Connection(int line, List<Line> body, String open, String close) implements Line {
        public Connection {
            body = List.copyOf(body);
            if (body.stream().anyMatch(l -> l instanceof Connection)) {
                throw new IllegalArgumentException("<connection> blocks cannot be nested");
            }
        }

        public static Connection of(List<Line> body) {
            return new Connection(0, body, null, null);
        }

        /** The directives inside the block, in order. */
        public List<Directive> directives() {
            return body.stream().<Directive>mapMulti((l, out) -> {
                if (l instanceof Entry e) {
                    out.accept(e.directive());
                } else if (l instanceof Block b) {
                    out.accept(b.directive());
                }
            }).toList();
        }

        /** The block as one {@code connection} directive whose inline content is the body text. */
        public Directive directive() {
            StringBuilder sb = new StringBuilder();
            for (String s : OvpnWriter.preservedLines(body)) {
                sb.append(s).append('\n');
            }
            return new Directive("connection", List.of(), line, sb.toString());
        }
    }
}
