package io.culvert.cli;

import io.culvert.engine.store.DatabaseLogin;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The PostgreSQL login options of a command group whose subcommands open a database ({@code culvert fleet},
 * {@code culvert profile}): {@code --db-user} and {@code --db-password-file}, inherited by every subcommand. The
 * password is read from a file only its owner can read, never taken from argv.
 */
final class DatabaseOptions {
    @Option(names = "--db-user", paramLabel = "USER", scope = ScopeType.INHERIT,
            description = "the PostgreSQL user (with a jdbc:postgresql:// --db)")
    String user;

    @Option(names = "--db-password-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "a file only its owner can read holding the PostgreSQL password")
    Path passwordFile;

    /** True when either option was given. */
    boolean given() {
        return user != null || passwordFile != null;
    }

    /** The login these options give. */
    DatabaseLogin login() {
        return login(user, passwordFile);
    }

    /**
     * The PostgreSQL login of {@code user} and {@code passwordFile}: none without either, no password without the
     * file, the account's name without a user.
     */
    static DatabaseLogin login(String user, Path passwordFile) {
        return user == null && passwordFile == null ? DatabaseLogin.NONE
                : passwordFile == null ? new DatabaseLogin(user, null)
                : DatabaseLogin.fromFile(user == null ? System.getProperty("user.name") : user, passwordFile);
    }
}
