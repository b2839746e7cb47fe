package io.culvert.engine.config;

import io.culvert.engine.config.file.ConfigFiles;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.Line;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnFileParser;
import io.culvert.engine.config.file.OvpnParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that copies the files a config names into it as inline blocks: keys and certificates as blocks, a
 * PKCS#12 bundle as base64, {@code tls-auth FILE DIR} as a block and a {@code key-direction DIR} after it (so a later
 * {@code key-direction} still wins, as in OpenVPN). Files are read with the caller's rights, size-capped at the config
 * parser's inline limit, never whole when endless (a FIFO, {@code /dev/zero}). An {@code auth-user-pass} or
 * {@code askpass} file that cannot be read here (a profile from another machine) becomes the bare directive, so the
 * login or passphrase is asked for at connect. What else happens depends on who the result is for ({@link Mode}).
 * Does no logging: what the caller should tell the user comes back in {@link Inlined#warnings}. Stateless.
 */
public final class ProfileInliner {
    /** Largest file inlined: the config parser's own inline limit. */
    public static final int MAX_FILE_BYTES = OvpnFileParser.MAX_INLINE_CHARS;
    /** Largest user/password file (auth-user-pass, proxy auth files): two short lines. */
    public static final int MAX_AUTH_FILE_BYTES = 8 * 1024;
    /** Largest askpass file read; only its first line is used. */
    public static final int MAX_ASKPASS_BYTES = 4 * 1024;

    /** Key and certificate material a stored profile takes in. */
    private static final Set<String> KEY_MATERIAL = Set.of("ca", "cert", "key", "extra-certs", "tls-auth", "tls-crypt",
            "tls-crypt-v2", "crl-verify", "pkcs12");
    /** Files holding a user name and a password. */
    private static final Set<String> AUTH_FILES = Set.of("auth-user-pass", "http-proxy-user-pass", "socks-proxy-user-pass");

    /** Who the inlined config is for. */
    public enum Mode {
        /**
         * A profile imported into the local store: its key material is taken in; a reference that cannot be read as
         * PEM text (or is too large) stays as written and is read from the import folder at connect; logins and proxy
         * password files stay files.
         */
        STORE,
        /**
         * A client profile for culvertd, which opens no path a caller names: every file the catalogue marks as a path
         * is read now or the call fails naming the line; proxy password files become their blocks; {@code askpass} is
         * dropped ({@link #askpass} answers the prompt instead); files the Culvert client does not use are dropped
         * with a warning; anything else that names a path is left for the service to refuse.
         */
        SERVICE_CLIENT,
        /** As {@link #SERVICE_CLIENT}, for a server config (its {@code status} file is the service's to place). */
        SERVICE_SERVER
    }

    /** The inlined config and what the user should be told about it. Immutable. */
    public record Inlined(OvpnFile file, boolean changed, List<String> warnings) {
        public Inlined {
            warnings = List.copyOf(warnings);
        }
    }

    private ProfileInliner() {}

    /** {@code file} with what it names inlined for {@code mode}; relative names resolve against {@code baseDir}. */
    public static Inlined inline(OvpnFile file, Path baseDir, Mode mode) throws OvpnParseException {
        boolean explicitHttpUserPass = file.directives().stream().anyMatch(d -> d.name().equals("http-proxy-user-pass"))
                || file.connections().stream().flatMap(List::stream).anyMatch(d -> d.name().equals("http-proxy-user-pass"));
        List<String> warnings = new ArrayList<>();
        boolean changed = false;
        List<Line> body = new ArrayList<>();
        for (Line l : file.body()) {
            if (l instanceof Line.Connection c) {
                List<Line> inner = new ArrayList<>();
                for (Line cl : c.body()) {
                    changed |= inlineInto(cl, baseDir, inner, mode, explicitHttpUserPass, warnings);
                }
                body.add(new Line.Connection(c.line(), inner, c.open(), c.close()));
            } else {
                changed |= inlineInto(l, baseDir, body, mode, explicitHttpUserPass, warnings);
            }
        }
        return new Inlined(changed ? new OvpnFile(body) : file, changed, warnings);
    }

    /**
     * The first line of the profile's {@code askpass FILE}, read with the caller's rights (at most
     * {@value #MAX_ASKPASS_BYTES} bytes), or empty: none, or a file that cannot be read here (the passphrase is then
     * asked for; {@code warnings} says so).
     */
    public static Optional<String> askpass(OvpnFile file, Path baseDir, List<String> warnings) throws OvpnParseException {
        for (Directive d : file.directives()) {
            if (d.name().equals("askpass") && !Directives.pathsNamedBy(d).isEmpty()) {
                if (!Files.isReadable(ConfigFiles.resolve(baseDir, d.arg(0)))) {
                    warnings.add("line " + d.line() + ": the askpass file " + d.arg(0)
                            + " cannot be read here; the passphrase will be asked for");
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

    /**
     * Adds {@code l} to {@code out}, with what it names read and inlined, or dropped where {@code mode} says so; true
     * when it changed.
     *
     * @param explicitHttpUserPass the profile has an {@code http-proxy-user-pass} of its own, which wins over the
     *        http-proxy's auth file (as in OpenVPN), so that file is not sent
     */
    public static boolean inlineInto(Line l, Path baseDir, List<Line> out, Mode mode, boolean explicitHttpUserPass,
            List<String> warnings) throws OvpnParseException {
        if (!(l instanceof Line.Entry e) || Directives.pathsNamedBy(e.directive()).isEmpty()) {
            out.add(l);
            return false;
        }
        Directive d = e.directive();
        if (mode != Mode.STORE && d.name().equals("askpass")) {
            return true; // read by askpass(), which answers the service's prompt
        }
        if ((d.name().equals("auth-user-pass") || d.name().equals("askpass"))
                && !Files.isReadable(ConfigFiles.resolve(baseDir, d.arg(0)))) {
            // A file from another machine (auth-user-pass "C:\\...\\pass.txt"): the login or passphrase is asked for.
            warnings.add("line " + d.line() + ": the " + d.name() + " file " + d.arg(0) + " cannot be read here; the "
                    + (d.name().equals("askpass") ? "passphrase" : "login") + " will be asked for");
            out.add(Line.Entry.of(new Directive(d.name(), List.of(), d.line(), null)));
            return true;
        }
        return mode == Mode.STORE ? intoStore(l, d, baseDir, out) : intoService(l, d, baseDir, out, mode, explicitHttpUserPass,
                warnings);
    }

    private static boolean intoStore(Line l, Directive d, Path baseDir, List<Line> out) {
        boolean single = d.name().equals("tls-auth") ? d.args().size() <= 2 : d.args().size() == 1;
        if (!KEY_MATERIAL.contains(d.name()) || !single) {
            out.add(l);
            return false;
        }
        String content;
        try {
            content = d.name().equals("pkcs12") ? base64(baseDir, d) : readText(baseDir, d, d.arg(0), MAX_FILE_BYTES);
        } catch (OvpnParseException notReadable) {
            out.add(l); // read from the import folder at connect, where its error names the line
            return false;
        }
        if (!d.name().equals("pkcs12") && (!content.contains("-----BEGIN ")
                || content.lines().anyMatch(s -> s.strip().startsWith("<")))) {
            out.add(l); // not PEM text: the connect reads it and says what is wrong with it
            return false;
        }
        addBlock(d, content, out);
        return true;
    }

    private static boolean intoService(Line l, Directive d, Path baseDir, List<Line> out, Mode mode,
            boolean explicitHttpUserPass, List<String> warnings) throws OvpnParseException {
        Directives.Spec spec = Directives.lookup(d.name()).orElseThrow();
        switch (d.name()) {
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
            addBlock(d, d.name().equals("pkcs12") ? base64(baseDir, d) : readText(baseDir, d, d.arg(0), max), out);
            return true;
        }
        boolean client = mode == Mode.SERVICE_CLIENT;
        if (spec.support() != Directives.Support.SUPPORTED || (client && d.name().equals("status"))) {
            warnings.add("line " + d.line() + ": '" + d.name() + "' not sent to culvertd: it names a file on this host,"
                    + " which the service does not open, and Culvert's " + (client ? "client" : "server") + " does not use it");
            return true;
        }
        out.add(l); // left as written: culvertd refuses it, and says which line
        return false;
    }

    /** The directive as an inline block, and the key direction its second argument gave, right after it. */
    private static void addBlock(Directive d, String content, List<Line> out) {
        out.add(Line.Block.of(new Directive(d.name(), List.of(), d.line(), content)));
        if ((d.name().equals("tls-auth") || d.name().equals("secret")) && d.args().size() > 1) {
            out.add(Line.Entry.of(new Directive("key-direction", List.of(d.arg(1)), d.line(), null)));
        }
    }

    /** A PKCS#12 file is binary; OpenVPN's inline {@code <pkcs12>} carries it as base64. */
    private static String base64(Path baseDir, Directive d) throws OvpnParseException {
        byte[] der = ConfigFiles.readBytes(ConfigFiles.resolve(baseDir, d.arg(0)), d.line(), d.name(), MAX_FILE_BYTES);
        return Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n";
    }

    /** The text of file {@code name} (at most {@code max} bytes, whatever it is), newline-ended, CRLF made LF. */
    private static String readText(Path baseDir, Directive d, String name, int max) throws OvpnParseException {
        String text = ConfigFiles.readText(ConfigFiles.resolve(baseDir, name), d.line(), d.name(), max).replace("\r\n", "\n");
        return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
    }
}
