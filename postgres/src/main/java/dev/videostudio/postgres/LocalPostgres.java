package dev.videostudio.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL server on a loopback port, for tests, benchmarks and
 * {@code ./studio cluster}; never for production. It runs the PostgreSQL binaries of the
 * machine (Debian's {@code postgresql} package, {@code /usr/lib/postgresql/N/bin}, or
 * {@code STUDIO_PG_BIN}). PostgreSQL refuses to run as root, and tests and CI here run as root,
 * so as root the server runs as the {@code postgres} user (or {@code nobody}) through
 * {@code setpriv}, which execs in place: the process we hold is the postmaster itself.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final String USER = "studio";

    private final Path dataDir;
    private final int port;
    private final Process process;

    private LocalPostgres(Path dataDir, int port, Process process) {
        this.dataDir = dataDir;
        this.port = port;
        this.process = process;
    }

    /** Creates a fresh cluster in a temporary folder and starts it; waits until it accepts connections. */
    public static LocalPostgres start() {
        return start(null, 0);
    }

    /**
     * Starts a server on {@code dataDir} (created with initdb when empty; a temporary folder, deleted
     * at close, when null) and {@code port} (a free one when 0).
     */
    public static LocalPostgres start(Path dataDir, int port) {
        try {
            Path bin = binaries();
            boolean temporary = dataDir == null;
            Path base = temporary ? Files.createTempDirectory("videostudio-pg-") : dataDir.toAbsolutePath().getParent();
            Path dir = temporary ? base.resolve("data") : dataDir.toAbsolutePath();
            Files.createDirectories(dir);
            // the server's user must reach the data folder; logs stay beside it (initdb wants it empty)
            Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> asUser = dropRoot(dir);
            int p = port > 0 ? port : freePort();
            if (!Files.exists(dir.resolve("PG_VERSION"))) {
                List<String> init = new ArrayList<>(asUser);
                init.addAll(List.of(bin.resolve("initdb").toString(), "-D", dir.toString(), "-U", USER,
                        "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"));
                try {
                    run(init, base.resolve("initdb.log"));
                } catch (RuntimeException e) {
                    if (temporary) {
                        deleteTree(base);
                    }
                    throw e;
                }
            }
            List<String> cmd = new ArrayList<>(asUser);
            // fsync off: a test database dies with its test; the socket stays in the data folder
            cmd.addAll(List.of(bin.resolve("postgres").toString(), "-D", dir.toString(), "-p", Integer.toString(p),
                    "-h", "127.0.0.1", "-k", dir.toString(), "-c", "fsync=" + (temporary ? "off" : "on"),
                    "-c", "max_connections=200", "-c", "shared_buffers=32MB"));
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("server.log").toFile())).start();
            LocalPostgres pg = new LocalPostgres(temporary ? base : null, p, proc);
            Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "videostudio-pg-stop"));
            pg.awaitReady(base, Duration.ofSeconds(60));
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return USER;
    }

    public int port() {
        return port;
    }

    /** Creates an empty database and returns its JDBC URL, so that tests can share one server. */
    public String createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(url(), USER, "")) {
            c.createStatement().execute("create database \"" + name.replace("\"", "") + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    /** Stops the server (sessions are ended, not waited for) and removes a temporary data folder. */
    @Override
    public void close() {
        if (process.isAlive()) {
            // SIGTERM to the backends ends their sessions, so the postmaster's own SIGTERM (a
            // "smart" shutdown, which waits for sessions) has nothing left to wait for
            process.toHandle().descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (dataDir != null) {
            deleteTree(dataDir);
        }
    }

    private void awaitReady(Path dir, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL stopped at start; see " + dir.resolve("server.log") + ": " + tail(dir.resolve("server.log")));
            }
            try (Connection c = DriverManager.getConnection(url(), USER, "")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("PostgreSQL did not accept connections within " + timeout.toSeconds() + " s: " + last);
    }

    /** The folder holding initdb and postgres: STUDIO_PG_BIN, else the newest /usr/lib/postgresql/N/bin. */
    static Path binaries() throws IOException {
        String env = System.getenv("STUDIO_PG_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path base = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(base)) {
            try (var versions = Files.list(base)) {
                var best = versions.filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
                        .max(Comparator.comparingInt(v -> parseOr0(v.getFileName().toString())));
                if (best.isPresent()) {
                    return best.get().resolve("bin");
                }
            }
        }
        throw new IllegalStateException("no PostgreSQL server binaries found: install them with "
                + "'apt-get install postgresql' or set STUDIO_PG_BIN to the folder holding initdb and postgres");
    }

    /** As root: hands the data folder to an unprivileged user and returns the command prefix that becomes it. */
    private static List<String> dropRoot(Path dir) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        String user = userExists("postgres") ? "postgres" : "nobody";
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        var owner = users.lookupPrincipalByName(user);
        Files.setOwner(dir, owner);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        // the user must be able to reach the folder; temporary folders' parents are world-readable
        return List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--reset-env");
    }

    private static boolean userExists(String name) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(name + ":"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(List<String> cmd, Path log) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running initdb", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int parseOr0(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // a leftover temporary folder is harmless
                }
            });
        } catch (IOException ignored) {
            // idem
        }
    }

    /** {@code java -cp ... dev.videostudio.postgres.LocalPostgres DATA_DIR PORT}: runs a server until killed. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "cluster/pgdata");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 5432;
        try (LocalPostgres pg = start(dir, port)) {
            System.out.println("PostgreSQL ready: " + pg.url() + " user " + pg.user());
            pg.process.waitFor();
        }
    }
}
