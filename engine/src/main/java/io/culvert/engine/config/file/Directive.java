package io.culvert.engine.config.file;

import java.util.List;
import java.util.Objects;

/**
 * One directive as written: its name (without a leading {@code --}), its arguments after unquoting,
 * its 1-based line, and for an inline block such as {@code <ca>} the block text (then {@code args} is
 * empty). Instances are immutable.
 */
public record Directive(String name, List<String> args, int line, String inlineContent) {

    public Directive {
        Objects.requireNonNull(name, "name");
        args = List.copyOf(args);
    }

    /** True when this directive came from an inline block. */
    public boolean isInline() {
        return inlineContent != null;
    }

    /** The argument count as OpenVPN sees it: an inline block counts as one argument. */
    public int argCount() {
        return isInline() ? 1 + args.size() : args.size();
    }

    /** The i-th argument, or null if absent. */
    public String arg(int i) {
        return i < args.size() ? args.get(i) : null;
    }
}
