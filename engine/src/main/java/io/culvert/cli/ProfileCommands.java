package io.culvert.cli;

import io.culvert.engine.common.PrivateFiles;
import io.culvert.engine.config.Directives.Role;
import io.culvert.engine.config.file.OvpnParseException;
import io.culvert.engine.config.file.Reason;
import io.culvert.engine.config.report.ImportReport;
import io.culvert.engine.store.Keyring;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * {@code culvert profile import|list|show|export|delete [--db PATH|URL]}: the stored client profiles, in the local
 * SQLite file or in PostgreSQL ({@code --db jdbc:postgresql://...} with {@code --db-user} and a 0600
 * {@code --db-password-file}). Exit codes as {@link ExitCodes}. Stateless.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "The stored client profiles (the app's database): import with a report of what Culvert does with"
                + " each directive, list, show, export, delete.",
        subcommands = {ProfileCommands.Import.class, ProfileCommands.ListProfiles.class, ProfileCommands.Show.class,
            ProfileCommands.Export.class, ProfileCommands.Delete.class})
public final class ProfileCommands extends CommandGroup {
    /** Largest profile file accepted (the parser's limit in characters, applied to bytes before reading it all). */
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    @Option(names = "--db", paramLabel = "PATH|URL", scope = ScopeType.INHERIT,
            description = "the profile database: a SQLite file (default: the app's, under $XDG_DATA_HOME) or a"
                    + " jdbc:postgresql:// URL without a user or password")
    String db;

    @Mixin
    DatabaseOptions login;

    ProfileCommands() {}

    /** Runs {@code args} (everything after {@code profile}); {@code env} gives the XDG folders and PATH. */
    public static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> env) {
        List<String> argv = new ArrayList<>(List.of("profile"));
        argv.addAll(args);
        return Main.run(argv.toArray(String[]::new), out, err, env);
    }

    /** One {@code culvert profile} command, run against the opened store. */
    abstract static class Action extends Subcommand<ProfileCommands> {
        abstract int run(Store store, Map<String, String> env, PrintStream out, PrintStream err);

        @Override
        public Integer call() {
            LogLevel.apply(1); // the profile commands print data on stdout; keep library chatter out of it
            CulvertCommand root = Cli.root(spec);
            try (Store store = open(parent.db, parent.login, root.env)) {
                return run(store, root.env, root.out, root.err);
            } catch (StoreException e) {
                return failed(e);
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Reports what Culvert does with each directive of a profile or server config; stores a usable"
                    + " client profile.")
    static final class Import extends Action {
        @Parameters(paramLabel = "FILE", description = "the .ovpn or .conf file")
        Path file;
        @Option(names = "--name", paramLabel = "N", description = "store it under this name (default: the file name)")
        String name;
        @Option(names = "--json", description = "print the report as JSON")
        boolean json;
        @Option(names = "--role", paramLabel = "client|server", description = "read it as this (default: detected)")
        String role;
        @Option(names = "--report-only", description = "report, do not store")
        boolean reportOnly;
        @Option(names = "--ignore-unknown", description = "accept directives Culvert does not know, with a warning")
        boolean ignoreUnknown;

        @Override
        public Integer call() {
            if (role != null && !role.equals("client") && !role.equals("server")) {
                throw Cli.usage(spec, "--role needs client or server");
            }
            return super.call();
        }

        @Override
        int run(Store store, Map<String, String> env, PrintStream out, PrintStream err) {
            Role r = role == null ? null : role.equals("client") ? Role.CLIENT : Role.SERVER;
            return importProfile(store, file, name, r, ignoreUnknown, json, reportOnly, out, err);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists stored profiles.")
    static final class ListProfiles extends Action {
        @Override
        int run(Store store, Map<String, String> env, PrintStream out, PrintStream err) {
            return list(store, out);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints a profile (keys redacted unless --secrets).")
    static final class Show extends Action {
        @Parameters(paramLabel = "NAME", description = "the profile")
        String name;
        @Option(names = "--secrets", description = "print keys and inline secrets too")
        boolean secrets;

        @Override
        int run(Store store, Map<String, String> env, PrintStream out, PrintStream err) {
            return show(store, name, secrets, out, err);
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Writes a profile to FILE (0600) or stdout.")
    static final class Export extends Action {
        @Parameters(index = "0", paramLabel = "NAME", description = "the profile")
        String name;
        @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "where to write it (default: stdout)")
        Path target;

        @Override
        int run(Store store, Map<String, String> env, PrintStream out, PrintStream err) {
            return export(store, name, target, out, err);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a profile and its saved login.")
    static final class Delete extends Action {
        @Parameters(paramLabel = "NAME", description = "the profile")
        String name;

        @Override
        int run(Store store, Map<String, String> env, PrintStream out, PrintStream err) {
            return delete(store, name, SecretToolKeyring.fromPath(env), out, err);
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

    private static Store open(String db, DatabaseOptions login, Map<String, String> env) {
        if (db == null || !db.startsWith("jdbc:")) {
            if (login.given()) {
                throw new StoreException(StoreException.Kind.INVALID,
                        "--db-user and --db-password-file need a jdbc:postgresql:// URL in --db");
            }
            return Store.open(db != null ? Path.of(db) : StoreFiles.defaultDatabase(env), InstantSource.system());
        }
        return Store.open(db, login.login(), InstantSource.system());
    }
}
