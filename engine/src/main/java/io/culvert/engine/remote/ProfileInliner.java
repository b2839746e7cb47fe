package io.culvert.engine.remote;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.config.Directive;
import io.culvert.engine.config.Line;
import io.culvert.engine.config.OvpnFile;
import io.culvert.engine.config.OvpnParseException;
import io.culvert.engine.service.ProfilePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces file references in a profile ({@code ca ca.crt}, {@code tls-auth ta.key 1} ...) with inline blocks,
 * reading the files with the caller's own rights, because the service reads no files on a caller's behalf.
 * Stateless.
 */
public final class ProfileInliner {
    /** Largest file inlined, as the config parser's own inline limit. */
    static final long MAX_FILE_BYTES = 256 * 1024;

    private ProfileInliner() {}

    /** The profile with every file it names inlined; relative names resolve against {@code baseDir}. */
    public static String inline(String profileText, Path baseDir) throws EngineException {
        OvpnFile file;
        try {
            file = OvpnFile.parse(profileText);
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
        boolean changed = false;
        List<Line> body = new ArrayList<>();
        for (Line l : file.body()) {
            if (l instanceof Line.Connection c) {
                List<Line> inner = new ArrayList<>();
                for (Line cl : c.body()) {
                    changed |= inlineInto(cl, baseDir, inner);
                }
                body.add(new Line.Connection(c.line(), inner, c.open(), c.close()));
            } else {
                changed |= inlineInto(l, baseDir, body);
            }
        }
        return changed ? new OvpnFile(body).write() : profileText;
    }

    /** Adds {@code l} to {@code out}, inlined when it names a file; true when it did. */
    static boolean inlineInto(Line l, Path baseDir, List<Line> out) throws EngineException {
        if (!(l instanceof Line.Entry e) || !ProfilePolicy.namesFile(e.directive())) {
            out.add(l);
            return false;
        }
        Directive d = e.directive();
        if (d.name().equals("crl-verify") && d.args().size() > 1) {
            out.add(l);
            return false;
        }
        String content = read(baseDir, d);
        out.add(Line.Block.of(new Directive(d.name(), List.of(), d.line(), content)));
        if ((d.name().equals("tls-auth") || d.name().equals("secret")) && d.args().size() > 1) {
            out.add(Line.Entry.of(new Directive("key-direction", List.of(d.arg(1)), d.line(), null)));
        }
        return true;
    }

    private static String read(Path baseDir, Directive d) throws EngineException {
        Path p = Path.of(d.arg(0));
        if (!p.isAbsolute() && baseDir != null) {
            p = baseDir.resolve(p);
        }
        try {
            if (Files.size(p) > MAX_FILE_BYTES) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "line " + d.line() + ": " + p + " is larger than "
                        + MAX_FILE_BYTES + " bytes");
            }
            String text = Files.readString(p);
            return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
        } catch (IOException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "line " + d.line() + ": cannot read " + p + " for '"
                    + d.name() + "': " + e.getMessage(), e);
        }
    }
}
