package io.culvert.engine.serveradmin;

import io.culvert.engine.api.ServerSpec;
import io.culvert.engine.common.PrivateFiles;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.store.IssuedCertificate;
import io.culvert.engine.store.StoreException;
import io.culvert.engine.store.StoredServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The pure parts of editing, renaming, backing up and restoring a managed server: which setting changes make clients
 * re-import, the config under a new name, and a server's backup entries to and from {@link BackupFile}. Stateless and
 * thread-safe.
 */
final class ServerEdits {
    static final String MANIFEST = "culvert-backup.properties";
    static final String CONFIG = "server.conf";
    static final String CCD = "ccd.properties";
    static final String CERTIFICATES = "certificates.properties";
    static final String FILES = "files/";
    private static final String FORMAT = "1";
    private static final List<String> REQUIRED = List.of("pki/ca.crt", "pki/ca.key", "pki/issued/server.crt",
            "pki/private/server.key");

    private ServerEdits() {}

    /** A backup read back: the server under its new name, its config, folder files, ccd entries and issued certificates. */
    record Restored(ServerSpec spec, String config, Map<String, byte[]> files, Map<String, String> ccd,
            List<IssuedCertificate> certificates) {}

    /** One line per change that alters what an exported profile says (its remote, proto, dev or data-ciphers lines). */
    static List<String> reimportReasons(ServerSpec old, ServerSpec now) {
        List<String> out = new ArrayList<>();
        if (!old.publicHost().equals(now.publicHost())) {
            out.add("public address " + old.publicHost() + " → " + now.publicHost() + " (the profile's remote line)");
        }
        if (old.port() != now.port()) {
            out.add("port " + old.port() + " → " + now.port() + " (the profile's remote line)");
        }
        if (old.proto() != now.proto()) {
            out.add("protocol " + lower(old.proto()) + " → " + lower(now.proto()) + " (the profile's proto line)");
        }
        if (old.device() != now.device()) {
            out.add("device " + lower(old.device()) + " → " + lower(now.device()) + " (the profile's dev line)");
        }
        if (!old.dataCiphers().equals(now.dataCiphers())) {
            out.add("data ciphers " + String.join(":", old.dataCiphers()) + " → " + String.join(":", now.dataCiphers())
                    + " (the profile's data-ciphers line)");
        }
        return out;
    }

    /** The config with its "created by" comment naming {@code newName}; every other line as it was. */
    static String renamedConfig(String config, String newName) {
        return config.replaceFirst("(?m)^# Server '[^'\\n]*',", "# Server '" + java.util.regex.Matcher.quoteReplacement(newName) + "',");
    }

    /** The entries of a server's backup: manifest, config, ccd entries, certificate register and every other folder file. */
    static Map<String, byte[]> backupEntries(StoredServer s, String publicHost, List<IssuedCertificate> certs, Path dir)
            throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        Properties manifest = new Properties();
        manifest.setProperty("format", FORMAT);
        manifest.setProperty("name", s.name());
        manifest.setProperty("publicHost", publicHost);
        out.put(MANIFEST, store(manifest));
        out.put(CONFIG, s.configText().getBytes(StandardCharsets.UTF_8));
        Properties ccd = new Properties();
        ccd.putAll(s.ccd());
        out.put(CCD, store(ccd));
        Properties register = new Properties();
        for (int i = 0; i < certs.size(); i++) {
            IssuedCertificate c = certs.get(i);
            String p = "cert." + i + ".";
            register.setProperty(p + "serial", c.serial().toString(16));
            register.setProperty(p + "commonName", c.commonName());
            register.setProperty(p + "notBefore", c.notBefore().toString());
            register.setProperty(p + "notAfter", c.notAfter().toString());
            if (c.revokedAt() != null) {
                register.setProperty(p + "revokedAt", c.revokedAt().toString());
            }
            register.setProperty(p + "pem", c.certPem());
        }
        register.setProperty("count", Integer.toString(certs.size()));
        out.put(CERTIFICATES, store(register));
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (rel.equals(CONFIG) || rel.startsWith("ccd/")) {
                    continue; // the store's copies are the truth; start writes them out
                }
                out.put(FILES + rel, Files.readAllBytes(p));
            }
        }
        return out;
    }

    /** Reads a backup's entries back, under {@code asName} when not null; a BadBackupException says what is wrong. */
    static Restored restored(Map<String, byte[]> entries, String asName) throws BackupFile.BadBackupException {
        Properties manifest = load(entries, MANIFEST);
        if (!FORMAT.equals(manifest.getProperty("format"))) {
            throw new BackupFile.BadBackupException("this backup's contents have format " + manifest.getProperty("format")
                    + ", which this Culvert cannot read");
        }
        String name = asName == null || asName.isBlank() ? manifest.getProperty("name") : asName.strip();
        if (!ServerSpec.isValidName(name)) {
            throw new BackupFile.BadBackupException("invalid server name '" + name + "'");
        }
        byte[] configBytes = entries.get(CONFIG);
        if (configBytes == null) {
            throw new BackupFile.BadBackupException("the backup holds no server config");
        }
        String config = renamedConfig(new String(configBytes, StandardCharsets.UTF_8), name);
        ServerSpec spec;
        try {
            spec = ServerConfigText.parse(name, config, manifest.getProperty("publicHost", "localhost"));
        } catch (OvpnParseException | IllegalArgumentException e) {
            throw new BackupFile.BadBackupException("the backed-up server config is not valid: " + e.getMessage());
        }
        Map<String, byte[]> files = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (e.getKey().startsWith(FILES)) {
                files.put(e.getKey().substring(FILES.length()), e.getValue());
            }
        }
        for (String f : REQUIRED) {
            if (!files.containsKey(f)) {
                throw new BackupFile.BadBackupException("the backup lacks " + f);
            }
        }
        Map<String, String> ccd = new TreeMap<>();
        load(entries, CCD).forEach((k, v) -> ccd.put((String) k, (String) v));
        Properties register = load(entries, CERTIFICATES);
        List<IssuedCertificate> certs = new ArrayList<>();
        try {
            int count = Integer.parseInt(register.getProperty("count", "0"));
            for (int i = 0; i < count; i++) {
                String p = "cert." + i + ".";
                String revoked = register.getProperty(p + "revokedAt");
                certs.add(new IssuedCertificate(name, new BigInteger(register.getProperty(p + "serial"), 16),
                        register.getProperty(p + "commonName"), Instant.parse(register.getProperty(p + "notBefore")),
                        Instant.parse(register.getProperty(p + "notAfter")), revoked == null ? null : Instant.parse(revoked),
                        register.getProperty(p + "pem")));
            }
        } catch (NumberFormatException | DateTimeParseException | NullPointerException | StoreException e) {
            throw new BackupFile.BadBackupException("the backup's certificate register is damaged: " + e.getMessage());
        }
        return new Restored(spec, config, files, ccd, certs);
    }

    /** Writes a restored file: private keys and everything but certificates and the CRL owner-only (0600). */
    static void writeFile(Path file, byte[] content) throws IOException {
        String n = file.getFileName().toString();
        Set<PosixFilePermission> perms = n.endsWith(".crt") || n.equals("crl.pem") ? PrivateFiles.PUBLIC : PrivateFiles.PRIVATE;
        PrivateFiles.write(file, content, perms);
    }

    private static Properties load(Map<String, byte[]> entries, String name) throws BackupFile.BadBackupException {
        byte[] b = entries.get(name);
        if (b == null) {
            throw new BackupFile.BadBackupException("the backup lacks " + name);
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(b, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new BackupFile.BadBackupException("the backup's " + name + " is damaged: " + e.getMessage());
        }
        return p;
    }

    private static byte[] store(Properties p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.store(out, null);
        return out.toByteArray();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
