package io.culvert.engine.service;

import io.culvert.engine.daemon.policy.ServerPolicy;
import io.culvert.engine.common.PrivateFiles;
import io.culvert.engine.api.EngineException;
import io.culvert.engine.api.ErrorKind;
import io.culvert.engine.api.ServerFileUpdate;
import io.culvert.engine.config.file.Directive;
import io.culvert.engine.config.file.Line;
import io.culvert.engine.config.file.OvpnFile;
import io.culvert.engine.config.file.OvpnParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state folder of one server culvertd hosts ({@code <state>/servers/<handle>}, 0700, files 0600, owned by the
 * service's user): the client-config-dir entries and the CRL the caller sent, and the status and pool files. The
 * config is rewritten to point there, so the running server re-reads the CRL and ccd files as usual and the owner
 * refreshes them with {@link #update}. Removed when the server stops. Thread-safe: updates are serialised.
 */
final class ServerFolder {
    private static final Logger LOG = LoggerFactory.getLogger(ServerFolder.class);
    static final String CCD = "ccd";
    static final String CRL = "crl.pem";
    static final String STATUS = "status.log";
    static final String POOL = "ipp.txt";

    private final Path dir;
    private final String config;
    private final boolean hasCcd;
    private final boolean hasCrl;

    private ServerFolder(Path dir, String config, boolean hasCcd, boolean hasCrl) {
        this.dir = dir;
        this.config = config;
        this.hasCcd = hasCcd;
        this.hasCrl = hasCrl;
    }

    /** The folder the server runs in (its config's relative paths resolve here). */
    Path dir() {
        return dir;
    }

    /** The config as the service runs it: every relocated file points into {@link #dir()}. */
    String config() {
        return config;
    }

    /**
     * Checks {@code configText} ({@link ServerPolicy#serviceRefusals}) and {@code ccd}, creates the folder
     * {@code root/id} (replacing a stale one) with the files, and rewrites the config.
     *
     * @throws EngineException PERMISSION_DENIED for directives the service does not honour, CONFIG_INVALID for a
     *         config that does not parse or ccd entries that cannot be written, INTERNAL when the folder cannot
     */
    static ServerFolder create(Path root, String id, String configText, Map<String, String> ccd) throws EngineException {
        OvpnFile file;
        try {
            file = OvpnFile.parse(configText);
        } catch (OvpnParseException e) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, e.getMessage(), e);
        }
        List<String> refusals = ServerPolicy.serviceRefusals(file);
        if (!refusals.isEmpty()) {
            throw new EngineException(ErrorKind.PERMISSION_DENIED, String.join("; ", refusals));
        }
        String problem = ServerPolicy.ccdProblem(ccd);
        if (problem != null) {
            throw new EngineException(ErrorKind.CONFIG_INVALID, problem);
        }
        Path dir = root.resolve(id);
        try {
            PrivateFiles.createDirectories(root);
            PrivateFiles.deleteRecursively(dir);
            PrivateFiles.createDirectory(dir);
            List<Line> body = new ArrayList<>();
            boolean ccdDir = false;
            boolean crl = false;
            for (Line l : file.body()) {
                Directive d = l instanceof Line.Entry e ? e.directive() : l instanceof Line.Block b ? b.directive() : null;
                if (d == null || !ServerPolicy.RELOCATED.contains(d.name())) {
                    body.add(l);
                    continue;
                }
                String target = switch (d.name()) {
                    case "client-config-dir" -> {
                        ccdDir = true;
                        yield CCD;
                    }
                    case "crl-verify" -> {
                        crl = true;
                        yield CRL;
                    }
                    case "status" -> STATUS;
                    default -> POOL;
                };
                List<String> args = new ArrayList<>();
                args.add(dir.resolve(target).toString());
                if (!d.isInline() && d.args().size() > 1) {
                    args.addAll(d.args().subList(1, d.args().size()));
                }
                body.add(Line.Entry.of(new Directive(d.name(), args, d.line(), null)));
                if (d.name().equals("crl-verify")) {
                    if (!d.isInline()) {
                        throw new EngineException(ErrorKind.CONFIG_INVALID, "line " + d.line() + ": send crl-verify as an"
                                + " inline <crl-verify> block");
                    }
                    PrivateFiles.writePrivate(dir.resolve(CRL), d.inlineContent());
                }
            }
            if (ccdDir) {
                PrivateFiles.createDirectory(dir.resolve(CCD));
                for (Map.Entry<String, String> e : ccd.entrySet()) {
                    PrivateFiles.writePrivate(dir.resolve(CCD + "/" + e.getKey()), e.getValue());
                }
            } else if (!ccd.isEmpty()) {
                LOG.info("server {}: {} ccd entries ignored, the config has no client-config-dir", id, ccd.size());
            }
            return new ServerFolder(dir, new OvpnFile(body).write(), ccdDir, crl);
        } catch (EngineException e) {
            deleteQuietly(dir);
            throw e;
        } catch (IOException | UncheckedIOException e) {
            deleteQuietly(dir);
            throw new EngineException(ErrorKind.INTERNAL, "culvertd cannot prepare the server's state folder " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Writes a new CRL and ccd entries (each file replaced atomically, so the server sees either version).
     *
     * @throws EngineException CONFIG_INVALID when the update does not fit this server (no crl-verify or no
     *         client-config-dir, a bad entry name, not a CRL), INTERNAL when writing fails
     */
    synchronized void update(ServerFileUpdate u) throws EngineException {
        if (u.crlPem() != null) {
            if (!hasCrl) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "the server has no crl-verify to update");
            }
            if (u.crlPem().length() > ServerPolicy.MAX_CRL_CHARS || !u.crlPem().contains("-----BEGIN X509 CRL-----")) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "not a PEM CRL of at most " + ServerPolicy.MAX_CRL_CHARS
                        + " characters");
            }
        }
        if (!u.ccd().isEmpty() || !u.ccdRemoved().isEmpty()) {
            if (!hasCcd) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, "the server has no client-config-dir to update");
            }
            String problem = ServerPolicy.ccdProblem(u.ccd());
            for (String name : u.ccdRemoved()) {
                problem = problem != null ? problem : ServerPolicy.ccdEntryProblem(name, "");
            }
            if (problem == null && ccdCount() + u.ccd().size() > ServerPolicy.MAX_CCD_ENTRIES) {
                problem = "more than " + ServerPolicy.MAX_CCD_ENTRIES + " client-config-dir entries";
            }
            if (problem != null) {
                throw new EngineException(ErrorKind.CONFIG_INVALID, problem);
            }
        }
        try {
            for (Map.Entry<String, String> e : u.ccd().entrySet()) {
                PrivateFiles.writePrivate(dir.resolve(CCD + "/" + e.getKey()), e.getValue());
            }
            for (String name : u.ccdRemoved()) {
                Files.deleteIfExists(dir.resolve(CCD).resolve(name));
            }
            if (u.crlPem() != null) {
                PrivateFiles.writePrivate(dir.resolve(CRL), u.crlPem());
            }
        } catch (IOException e) {
            throw new EngineException(ErrorKind.INTERNAL, "culvertd cannot write to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Removes the folder; failures are logged. */
    void delete() {
        deleteQuietly(dir);
    }

    /** Removes the folder of handle {@code id} under {@code root} if there is one (after a failed start); failures are logged. */
    static void discard(Path root, String id) {
        deleteQuietly(root.resolve(id));
    }

    /** Removes every server folder under {@code root} (left behind when the service last stopped abruptly). */
    static void clearStale(Path root) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.list(root)) {
            s.forEach(ServerFolder::deleteQuietly);
        } catch (IOException e) {
            LOG.warn("cannot clear {}: {}", root, e.toString());
        }
    }

    private int ccdCount() {
        try (Stream<Path> s = Files.list(dir.resolve(CCD))) {
            return (int) s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            PrivateFiles.deleteRecursively(dir);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.toString());
        }
    }

}
