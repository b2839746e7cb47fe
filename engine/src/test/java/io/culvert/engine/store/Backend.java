package io.culvert.engine.store;

import java.nio.file.Path;

/**
 * The two databases the store runs on, for tests parameterised over both ({@code @ParameterizedClass
 * @EnumSource(Backend.class)}): a SQLite file in the test's temp folder, or a fresh database on the test JVM's
 * {@link PostgresServer}.
 */
enum Backend {
    SQLITE {
        @Override
        Target target(Path tmp) {
            return new Target("jdbc:sqlite:" + tmp.resolve(StoreFiles.DB_FILE), DatabaseLogin.NONE);
        }
    },
    POSTGRESQL {
        @Override
        Target target(Path tmp) {
            PostgresServer server = PostgresServer.shared();
            return new Target(server.freshDatabase(), server.login());
        }
    };

    /** A new, empty database for one test. */
    abstract Target target(Path tmp);

    /** Where a test's database is and how to log in; {@link #open} may be called again to reopen it. */
    record Target(String url, DatabaseLogin login) {
        Store open() {
            return Store.open(url, login, StoreFixtures.CLOCK);
        }
    }
}
