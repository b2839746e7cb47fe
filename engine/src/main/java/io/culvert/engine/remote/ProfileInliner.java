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

    /**
     * The first line of the profile's {@code askpass FILE}, read with the caller's rights, or empty. The line
     * itself is dropped from what {@link #inline} sends: the passphrase answers the service's prompt instead.
     */
    public static java.util.Optional<String> askpass(String profileText, Path baseDir) throws EngineException {
        try {
            for (Directive d : OvpnFile.parse(profileText).directives()) {
                if (d.name().equals("askpass") && !d.args().isEmpty()) {
                    Path p = Path.of(d.arg(0));
                    p = !p.isAbsolute() && baseDir != null ? baseDir.resolve(p) : p;
                    List<String> lines = Files.readAllLines(p);
                    return java.util.Optional.of(lines.isEmpty() ? "" : lines.getFirst());
                }
            }
            return java.util.Optional.empty();
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        } catch (IOException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "cannot read the askpass file: " + e.getMessage(), e);
        }
    }

    /** Adds {@code l} to {@code out}, inlined when it names a file (askpass is dropped); true when it changed. */
    static boolean inlineInto(Line l, Path baseDir, List<Line> out) throws EngineException {
        if (l instanceof Line.Entry a && a.directive().name().equals("askpass") && !a.directive().args().isEmpty()) {
            return true;
        }
        if (!(l instanceof Line.Entry e) || !ProfilePolicy.namesFile(e.directive())) {
            out.add(l);
            return false;
        }
        Directive d = e.directive();
        if (d.name().equals("crl-verify") && d.args().size() > 1) {
            out.add(l);
            return false;
        }
        String content = d.name().equals("pkcs12") ? base64(baseDir, d) : read(baseDir, d);
        out.add(Line.Block.of(new Directive(d.name(), List.of(), d.line(), content)));
        if ((d.name().equals("tls-auth") || d.name().equals("secret")) && d.args().size() > 1) {
            out.add(Line.Entry.of(new Directive("key-direction", List.of(d.arg(1)), d.line(), null)));
        }
        return true;
    }

    /** A PKCS#12 file is binary; OpenVPN's inline {@code <pkcs12>} carries it as base64. */
    private static String base64(Path baseDir, Directive d) throws EngineException {
        Path p = Path.of(d.arg(0));
        p = !p.isAbsolute() && baseDir != null ? baseDir.resolve(p) : p;
        try {
            if (Files.size(p) > MAX_FILE_BYTES) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "line " + d.line() + ": " + p + " is larger than "
                        + MAX_FILE_BYTES + " bytes");
            }
            return java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(Files.readAllBytes(p)) + "\n";
        } catch (IOException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "line " + d.line() + ": cannot read " + p + " for 'pkcs12': "
                    + e.getMessage(), e);
        }
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
