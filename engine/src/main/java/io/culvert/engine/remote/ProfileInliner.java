package io.culvert.engine.remote;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.config.Directives;
import io.culvert.engine.config.file.ConfigFiles;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.Line;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.service.ProfilePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a profile self-contained for culvertd, which opens no path a caller names: every file the directive catalogue
 * marks as a path ({@link Directives#pathsNamedBy}) is read here, with the caller's own rights and a size limit, and
 * sent inline — keys and certificates as blocks, a PKCS#12 bundle as base64, the auth file of {@code http-proxy} as an
 * {@code <http-proxy-user-pass>} block and that of {@code socks-proxy} as a {@code <socks-proxy-user-pass>} block (the
 * file's place becomes {@code [inline]}). {@code askpass FILE} is read here too and answers the key prompt instead
 * ({@link #askpass}). Files the Culvert client does not use (logs, pid files, scripts, the client's {@code status}) are
 * dropped with a warning; anything else that names a path is left for the service to refuse. Stateless.
 */
public final class ProfileInliner {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileInliner.class);
    /** Largest key or certificate file inlined, as the config parser's own inline limit. */
    static final int MAX_FILE_BYTES = 256 * 1024;
    /** Largest user/password file (auth-user-pass, proxy auth files): two short lines. */
    static final int MAX_AUTH_FILE_BYTES = 8 * 1024;
    /** Largest askpass file read; only its first line is used. */
    static final int MAX_ASKPASS_BYTES = 4 * 1024;

    private ProfileInliner() {}

    /** The profile with every file it names inlined; relative names resolve against {@code baseDir}. */
    public static String inline(String profileText, Path baseDir) throws EngineException {
        OvpnFile file = parse(profileText);
        boolean explicitHttpUserPass = file.directives().stream().anyMatch(d -> d.name().equals("http-proxy-user-pass"))
                || file.connections().stream().flatMap(List::stream).anyMatch(d -> d.name().equals("http-proxy-user-pass"));
        boolean changed = false;
        List<Line> body = new ArrayList<>();
        for (Line l : file.body()) {
            if (l instanceof Line.Connection c) {
                List<Line> inner = new ArrayList<>();
                for (Line cl : c.body()) {
                    changed |= inlineInto(cl, baseDir, inner, explicitHttpUserPass, true);
                }
                body.add(new Line.Connection(c.line(), inner, c.open(), c.close()));
            } else {
                changed |= inlineInto(l, baseDir, body, explicitHttpUserPass, true);
            }
        }
        return changed ? new OvpnFile(body).write() : profileText;
    }

    /**
     * The first line of the profile's {@code askpass FILE}, read with the caller's rights (at most
     * {@value #MAX_ASKPASS_BYTES} bytes), or empty (also when
     * the file cannot be read here: the service's prompt is then answered by the user). The line itself is dropped from what {@link #inline} sends: the
     * passphrase answers the service's prompt instead.
     */
    public static Optional<String> askpass(String profileText, Path baseDir) throws EngineException {
        for (Directive d : parse(profileText).directives()) {
            if (d.name().equals("askpass") && !Directives.pathsNamedBy(d).isEmpty()) {
                if (!java.nio.file.Files.isReadable(ConfigFiles.resolve(baseDir, d.arg(0)))) {
                    // As ClientConfig reads it: a profile from another machine asks for the passphrase at connect.
                    LOG.warn("line {}: the askpass file {} cannot be read here; the passphrase will be asked for",
                            d.line(), d.arg(0));
                    return Optional.empty();
                }
                String text = readText(baseDir, d, d.arg(0), MAX_ASKPASS_BYTES);
                int end = text.indexOf('\n');
                String first = end < 0 ? text : text.substring(0, end);
                return Optional.of(first.endsWith("\r") ? first.substring(0, first.length() - 1) : first);
            }
        }
        return Optional.empty();
    }

    /** Adds {@code l} to {@code out} for a client profile, inlined when it names a file; true when it changed. */
    static boolean inlineInto(Line l, Path baseDir, List<Line> out) throws EngineException {
        return inlineInto(l, baseDir, out, false, false);
    }

    /**
     * Adds {@code l} to {@code out}, with what it names read and inlined, or dropped when Culvert does not use it;
     * true when it changed.
     *
     * @param explicitHttpUserPass the profile has an {@code http-proxy-user-pass} of its own, which wins over the
     *        http-proxy's auth file (as in OpenVPN), so that file is not sent
     * @param client a client profile (whose {@code status} file culvertd does not write)
     */
    static boolean inlineInto(Line l, Path baseDir, List<Line> out, boolean explicitHttpUserPass, boolean client)
            throws EngineException {
        if (!(l instanceof Line.Entry e) || Directives.pathsNamedBy(e.directive()).isEmpty()) {
            out.add(l);
            return false;
        }
        Directive d = e.directive();
        Directives.Spec spec = Directives.lookup(d.name()).orElseThrow();
        switch (d.name()) {
            case "askpass" -> {
                return true;
            }
            case "auth-user-pass" -> {
                if (!java.nio.file.Files.isReadable(ConfigFiles.resolve(baseDir, d.arg(0)))) {
                    // As ClientConfig reads it: a profile from another machine asks for the login at connect.
                    LOG.warn("line {}: the auth-user-pass file {} cannot be read here; the login will be asked for",
                            d.line(), d.arg(0));
                    out.add(Line.Entry.of(new Directive(d.name(), List.of(), d.line(), null)));
                    return true;
                }
            }
            case "http-proxy" -> {
                List<String> args = new ArrayList<>(d.args());
                args.set(2, Directives.INLINE_PLACEHOLDER);
                out.add(Line.Entry.of(new Directive(d.name(), args, d.line(), null)));
                boolean noAuth = d.args().size() > 3 && d.arg(3).equals("none");
                if (!explicitHttpUserPass && !noAuth) {
                    out.add(Line.Block.of(new Directive("http-proxy-user-pass", List.of(), d.line(),
                            readText(baseDir, d, d.arg(2), MAX_AUTH_FILE_BYTES))));
                }
                return true;
            }
            case "socks-proxy" -> {
                List<String> args = new ArrayList<>(d.args());
                args.set(2, Directives.INLINE_PLACEHOLDER);
                out.add(Line.Entry.of(new Directive(d.name(), args, d.line(), null)));
                out.add(Line.Block.of(new Directive("socks-proxy-user-pass", List.of(), d.line(),
                        readText(baseDir, d, d.arg(2), MAX_AUTH_FILE_BYTES))));
                return true;
            }
            default -> { }
        }
        boolean singleFile = d.name().equals("tls-auth") || d.name().equals("secret") || d.name().equals("tls-crypt-v2")
                || d.args().size() == 1;
        if (spec.inlineAllowed() && singleFile) {
            int max = AUTH_FILES.contains(d.name()) ? MAX_AUTH_FILE_BYTES : MAX_FILE_BYTES;
            String content = d.name().equals("pkcs12") ? base64(baseDir, d) : readText(baseDir, d, d.arg(0), max);
            out.add(Line.Block.of(new Directive(d.name(), List.of(), d.line(), content)));
            if ((d.name().equals("tls-auth") || d.name().equals("secret")) && d.args().size() > 1) {
                out.add(Line.Entry.of(new Directive("key-direction", List.of(d.arg(1)), d.line(), null)));
            }
            return true;
        }
        if (spec.support() != Directives.Support.SUPPORTED || (client && d.name().equals("status"))) {
            LOG.warn("line {}: '{}' not sent to culvertd: it names a file on this host, which the service does not open,"
                    + " and Culvert's {} does not use it", d.line(), d.name(), client ? "client" : "server");
            return true;
        }
        // Left as written: culvertd refuses it (ProfilePolicy), and says which line.
        out.add(l);
        return false;
    }

    /** Files holding a user name and a password. */
    private static final java.util.Set<String> AUTH_FILES = java.util.Set.of("auth-user-pass", "http-proxy-user-pass",
            "socks-proxy-user-pass");

    private static OvpnFile parse(String text) throws EngineException {
        try {
            return OvpnFile.parse(text);
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
    }

    /** A PKCS#12 file is binary; OpenVPN's inline {@code <pkcs12>} carries it as base64. */
    private static String base64(Path baseDir, Directive d) throws EngineException {
        try {
            byte[] der = ConfigFiles.readBytes(ConfigFiles.resolve(baseDir, d.arg(0)), d.line(), d.name(), MAX_FILE_BYTES);
            return Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n";
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
    }

    /** The text of file {@code name} (at most {@code max} bytes, whatever it is: a FIFO or /dev/zero too), newline-ended. */
    private static String readText(Path baseDir, Directive d, String name, int max) throws EngineException {
        try {
            String text = ConfigFiles.readText(ConfigFiles.resolve(baseDir, name), d.line(), d.name(), max);
            return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
    }
}
