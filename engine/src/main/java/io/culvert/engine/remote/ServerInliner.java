package io.culvert.engine.remote;

import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.config.ProfileInliner;
import io.culvert.engine.config.ProfileInliner.Mode;
import io.culvert.engine.config.file.ConfigFiles;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.Line;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.daemon.policy.ServerPolicy;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a server config self-contained for culvertd, reading with the caller's own rights what the service will
 * not read: keys, certificates and the CRL inline ({@code crl-verify FILE} becomes a {@code <crl-verify>} block,
 * which the service writes to its state folder and the server re-reads), {@code dh FILE} becomes {@code dh none}
 * (Culvert uses ECDHE only), and the client-config-dir's entries are read here and sent alongside. Directives the
 * service does not honour for callers ({@link ServerPolicy#refusals}) are refused before anything is sent.
 * Stateless.
 */
public final class ServerInliner {
    private static final Logger LOG = LoggerFactory.getLogger(ServerInliner.class);

    /** A config with everything inline, and the ccd entries by common name. Immutable. */
    public record SelfContained(String config, Map<String, String> ccd) {
        public SelfContained {
            ccd = java.util.Collections.unmodifiableMap(new TreeMap<>(ccd));
        }
    }

    private ServerInliner() {}

    /**
     * Inlines {@code configText}; relative names resolve against {@code baseDir}.
     *
     * @throws EngineException PERMISSION_DENIED naming the lines culvertd would refuse; CONFIG_INVALID when the
     *         config does not parse or a file cannot be read or is too large
     */
    public static SelfContained inline(String configText, Path baseDir) throws EngineException {
        OvpnFile file;
        try {
            file = OvpnFile.parse(configText);
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
        List<String> refusals = ServerPolicy.refusals(file);
        if (!refusals.isEmpty()) {
            throw new EngineException(ErrorKind.PERMISSION_DENIED, "culvertd will not run this server for you: "
                    + String.join("; ", refusals) + ". Remove those lines, or run the server as root (culvert server --config).");
        }
        Map<String, String> ccd = new TreeMap<>();
        List<Line> body = new ArrayList<>();
        for (Line l : file.body()) {
            Directive d = l instanceof Line.Entry e ? e.directive() : null;
            if (d != null && d.name().equals("dh")) {
                body.add(d.arg(0).equals("none") ? l : Line.Entry.of(new Directive("dh", List.of("none"), d.line(), null)));
            } else if (d != null && d.name().equals("askpass")) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "line " + d.line() + ": a server key with a passphrase"
                        + " (askpass) cannot be started through culvertd; use an unencrypted key or run the server as root");
            } else if (d != null && d.name().equals("client-config-dir")) {
                ccd = readCcd(ConfigFiles.resolve(baseDir, d.arg(0)), d.line());
                body.add(l);
            } else if (d != null && ServerPolicy.RELOCATED.contains(d.name()) && !d.name().equals("crl-verify")) {
                body.add(l); // the service points it into its own state folder
            } else {
                try {
                    List<String> warnings = new ArrayList<>();
                    ProfileInliner.inlineInto(l, baseDir, body, Mode.SERVICE_SERVER, false, warnings);
                    warnings.forEach(LOG::warn);
                } catch (OvpnParseException e) {
                    throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
                }
            }
        }
        return new SelfContained(new OvpnFile(body).write(), ccd);
    }

    /**
     * The regular files in {@code dir} by name (a missing folder has none, as for the server itself); hidden files
     * are skipped, anything else that is not a regular file too.
     */
    static Map<String, String> readCcd(Path dir, int line) throws EngineException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted().toList();
        } catch (IOException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "line " + line + ": cannot read client-config-dir " + dir
                    + ": " + e.getMessage(), e);
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                LOG.warn("{}: not a regular file, not sent to culvertd", p);
                continue;
            }
            if (out.size() == ServerPolicy.MAX_CCD_ENTRIES) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "line " + line + ": " + dir + " has more than "
                        + ServerPolicy.MAX_CCD_ENTRIES + " client-config-dir entries");
            }
            String text = readEntry(p, line);
            String problem = ServerPolicy.ccdEntryProblem(name, text);
            if (problem != null) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "line " + line + ": " + dir + ": " + problem);
            }
            out.put(name, text);
        }
        return out;
    }

    private static String readEntry(Path p, int line) throws EngineException {
        try {
            // UTF-8 takes at most 4 bytes a character: a larger file cannot fit.
            if (Files.size(p) > 4L * ServerPolicy.MAX_CCD_CHARS) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "line " + line + ": " + p + " is longer than "
                        + ServerPolicy.MAX_CCD_CHARS + " characters");
            }
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(p))).toString();
        } catch (CharacterCodingException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "line " + line + ": " + p + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, "line " + line + ": cannot read " + p + ": " + e.getMessage(), e);
        }
    }

}
