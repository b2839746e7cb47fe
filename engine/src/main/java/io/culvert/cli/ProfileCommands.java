package io.culvert.cli;

import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import io.culvert.engine.config.report.ImportReport;
import io.culvert.engine.store.Keyring;
import io.culvert.engine.store.DatabaseLogin;
import io.culvert.engine.store.ProfileCheck;
import io.culvert.engine.store.SecretToolKeyring;
import io.culvert.engine.store.Store;
import io.culvert.engine.store.StoreException;
import io.culvert.engine.store.StoreFiles;
import io.culvert.engine.store.StoredProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import io.culvert.engine.common.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code culvert profile import|list|show|export|delete [--db PATH|URL]}: the stored client profiles, in the local
 * SQLite file or in PostgreSQL ({@code --db jdbc:postgresql://...} with {@code --db-user} and a 0600 {@code --db-password-file}).
 * Exit codes: 0 done, 1 failed, 2 usage error. Stateless.
 */
public final class ProfileCommands {
    /** Largest profile file accepted (the parser's limit in characters, applied to bytes before reading it all). */
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    private ProfileCommands() {}

    /** Runs {@code args} (everything after {@code profile}); {@code env} gives the XDG folders and PATH. */
    public static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> env) {
        List<String> rest = new ArrayList<>();
        String db = null;
        String dbUser = null;
        Path dbPasswordFile = null;
        String name = null;
        boolean secrets = false;
        boolean ignoreUnknown = false;
        boolean json = false;
        boolean reportOnly = false;
        Role role = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--db", "--db-user", "--db-password-file", "--name", "--role" -> {
                    if (i + 1 >= args.size()) {
                        err.println("culvert profile: " + a + " needs a value\n" + usage());
                        return 2;
                    }
                    String value = args.get(++i);
                    switch (a) {
                        case "--db" -> db = value;
                        case "--db-user" -> dbUser = value;
                        case "--db-password-file" -> dbPasswordFile = Path.of(value);
                        case "--name" -> name = value;
                        default -> {
                            if (!value.equals("client") && !value.equals("server")) {
                                err.println("culvert profile import: --role needs client or server\n" + usage());
                                return 2;
                            }
                            role = value.equals("client") ? Role.CLIENT : Role.SERVER;
                        }
                    }
                }
                case "--secrets" -> secrets = true;
                case "--json" -> json = true;
                case "--report-only" -> reportOnly = true;
                case "--ignore-unknown" -> ignoreUnknown = true;
                default -> {
                    if (a.startsWith("--")) {
                        err.println("culvert profile: unknown option '" + a + "'");
                        return 2;
                    }
                    rest.add(a);
                }
            }
        }
        if (rest.isEmpty()) {
            err.println(usage());
            return 2;
        }
        String cmd = rest.getFirst();
        List<String> operands = rest.subList(1, rest.size());
        int[] arity = switch (cmd) {
            case "list" -> new int[] {0, 0};
            case "import", "show", "delete" -> new int[] {1, 1};
            case "export" -> new int[] {1, 2};
            default -> null;
        };
        if (arity == null || operands.size() < arity[0] || operands.size() > arity[1]) {
            err.println((arity == null ? "culvert profile: unknown command '" + cmd + "'\n" : "") + usage());
            return 2;
        }
        LogLevel.apply(1); // the profile commands print data on stdout; keep library chatter out of it
        try (Store store = open(db, dbUser, dbPasswordFile, env)) {
            return switch (cmd) {
                case "import" -> importProfile(store, Path.of(operands.getFirst()), name, role, ignoreUnknown, json, reportOnly, out, err);
                case "list" -> list(store, out);
                case "show" -> show(store, operands.getFirst(), secrets, out, err);
                case "export" -> export(store, operands.getFirst(), operands.size() > 1 ? Path.of(operands.get(1)) : null, out, err);
                default -> delete(store, operands.getFirst(), SecretToolKeyring.fromPath(env), out, err);
            };
        } catch (StoreException e) {
            err.println("culvert profile " + cmd + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * Reads {@code file} (at most 4 MiB), validates it as a client profile with file
     * references resolved next to it, and stores it under {@code name} (default: the file name without
     * {@code .ovpn}/{@code .conf}). The hook for {@code ProfileImportCommand}.
     */
    public static StoredProfile store(Store store, Path file, String name, boolean ignoreUnknown) throws OvpnParseException {
        String text = readCapped(file);
        String n = name != null ? name : file.getFileName().toString().replaceFirst("\\.(ovpn|conf)$", "");
        return store.profiles().add(n, text, new ProfileCheck(file.toAbsolutePath().getParent(), ignoreUnknown));
    }

    /** Prints the import report; a usable client profile is then stored (unless {@code reportOnly}). */
    private static int importProfile(Store store, Path file, String name, Role role, boolean ignoreUnknown, boolean json,
            boolean reportOnly, PrintStream out, PrintStream err) {
        ImportReport report = ProfileImportCommand.report(file, role, ignoreUnknown, json, out);
        if (!report.usable()) {
            for (ImportReport.Problem p : report.problems()) {
                err.println(file + ": " + (p.line() > 0 ? "line " + p.line() + ": " : "") + (p.directive() == null ? "" : "'" + p.directive() + "': ")
                        + p.reason() + ": " + p.detail());
            }
            return 1;
        }
        if (reportOnly || report.role() != Role.CLIENT) {
            return 0;
        }
        try {
            out.println("stored as profile '" + store(store, file, name, ignoreUnknown).name() + "'");
            return 0;
        } catch (OvpnParseException e) {
            err.println(file + ": " + e.getMessage());
            return 1;
        }
    }

    private static int list(Store store, PrintStream out) {
        for (StoredProfile p : store.profiles().list()) {
            out.println(p.name() + "\t" + (p.autoConnect() ? "auto-connect" : "manual") + "\t"
                    + (p.lastUsedAt() == null ? "never used" : "last used " + p.lastUsedAt()));
        }
        return 0;
    }

    private static int show(Store store, String name, boolean secrets, PrintStream out, PrintStream err) {
        var p = store.profiles().find(name);
        if (p.isEmpty()) {
            err.println("culvert profile show: no profile named '" + name + "'");
            return 1;
        }
        out.print(secrets ? p.get().text() : p.get().redactedText());
        return 0;
    }

    private static int export(Store store, String name, Path target, PrintStream out, PrintStream err) {
        var p = store.profiles().find(name);
        if (p.isEmpty()) {
            err.println("culvert profile export: no profile named '" + name + "'");
            return 1;
        }
        if (target == null) {
            out.print(p.get().text());
            return 0;
        }
        try {
            // the profile holds private keys: owner-only from its first byte
            PrivateFiles.writePrivate(target, p.get().text());
            out.println(target);
            return 0;
        } catch (IOException e) {
            err.println("culvert profile export: cannot write " + target + ": " + e.getMessage());
            return 1;
        }
    }

    private static int delete(Store store, String name, Keyring keyring, PrintStream out, PrintStream err) {
        if (store.profiles().find(name).isEmpty()) {
            err.println("culvert profile delete: no profile named '" + name + "'");
            return 1;
        }
        store.credentials(keyring).delete(name);
        store.profiles().delete(name);
        out.println("deleted " + name);
        return 0;
    }

    private static String readCapped(Path file) throws OvpnParseException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new OvpnParseException(0, null, Reason.FILE_NOT_READABLE,
                    "cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new OvpnParseException(0, null, Reason.LIMIT_EXCEEDED, file + " is larger than " + MAX_BYTES + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * The store: the SQLite file {@code db} (default: the XDG data folder), or the database a {@code jdbc:} URL
     * names, logged in as {@code user} with the password in {@code passwordFile} (0600).
     */
    private static Store open(String db, String user, Path passwordFile, Map<String, String> env) {
        if (db == null || !db.startsWith("jdbc:")) {
            if (user != null || passwordFile != null) {
                throw new StoreException(StoreException.Kind.INVALID, "--db-user and --db-password-file need a jdbc:postgresql:// URL in --db");
            }
            return Store.open(db != null ? Path.of(db) : StoreFiles.defaultDatabase(env), InstantSource.system());
        }
        DatabaseLogin login = user == null && passwordFile == null ? DatabaseLogin.NONE
                : passwordFile == null ? new DatabaseLogin(user, null)
                : DatabaseLogin.fromFile(user == null ? System.getProperty("user.name") : user, passwordFile);
        return Store.open(db, login, InstantSource.system());
    }

    static String usage() {
        return """
                Usage: culvert profile COMMAND [--db PATH|URL [--db-user USER] [--db-password-file FILE]]
                  import FILE [--name N] [--json] [--role client|server] [--report-only] [--ignore-unknown]
                                                              report what Culvert does with each directive;
                                                              store a usable client profile
                  list                                        list stored profiles
                  show NAME [--secrets]                       print a profile (keys redacted unless --secrets)
                  export NAME [FILE]                          write a profile to FILE (0600) or stdout
                  delete NAME                                 delete a profile and its saved login""";
    }
}
