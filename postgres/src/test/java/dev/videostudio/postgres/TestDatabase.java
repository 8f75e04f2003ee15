package dev.videostudio.postgres;

import java.util.concurrent.atomic.AtomicInteger;

/** One PostgreSQL per test JVM, started on first use; each caller gets a database of its own. */
final class TestDatabase {

    private static final AtomicInteger N = new AtomicInteger();
    private static LocalPostgres server;

    private TestDatabase() {
    }

    static synchronized LocalPostgres server() {
        if (server == null) {
            server = LocalPostgres.start();
        }
        return server;
    }

    /** A fresh empty database; its JDBC URL. */
    static String fresh() {
        return server().createDatabase("t" + ProcessHandle.current().pid() + "_" + N.incrementAndGet());
    }

    static PostgresDatabase connect() {
        return PostgresDatabase.connect(fresh(), server().user(), "");
    }
}
