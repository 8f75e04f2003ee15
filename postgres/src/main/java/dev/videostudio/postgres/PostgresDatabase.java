package dev.videostudio.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import dev.videostudio.asset.AssetMetadata;
import dev.videostudio.timeline.AssetLookup;
import dev.videostudio.timeline.TimelineStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.videostudio.StudioException;
import dev.videostudio.job.JobScheduler;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The distributed mode's entry point: one PostgreSQL shared by every node, reached through a
 * HikariCP pool, its schema created and migrated by Flyway at connect. Media files stay on a
 * folder every node mounts.
 *
 * <pre>{@code
 * try (PostgresDatabase db = PostgresDatabase.connect(url, user, password)) {
 *     JobScheduler jobs = db.jobScheduler(config, true);
 * }
 * }</pre>
 */
public final class PostgresDatabase implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final String url;
    private final List<JobScheduler> schedulers = new CopyOnWriteArrayList<>();

    private PostgresDatabase(HikariDataSource dataSource, String url) {
        this.dataSource = dataSource;
        this.url = url;
    }

    /**
     * Connects and migrates the schema. Throws an {@link IllegalStateException} whose message is
     * one line naming the database when it cannot be reached, so a server can print it and exit.
     */
    public static PostgresDatabase connect(String url, String user, String password) {
        Objects.requireNonNull(url, "url");
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword(password == null ? "" : password);
        hc.setPoolName("videostudio");
        hc.setMaximumPoolSize(24);
        hc.setMinimumIdle(2);
        // a request waiting for a database that is down fails after this, with a 503
        hc.setConnectionTimeout(3_000);
        hc.setValidationTimeout(1_000);
        hc.setInitializationFailTimeout(5_000);
        hc.addDataSourceProperty("connectTimeout", "3");
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot connect to the database " + redact(url) + " as '" + user + "': "
                    + rootMessage(e), e);
        }
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/videostudio")
                    .table("studio_schema_history").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new IllegalStateException("cannot migrate the database " + redact(url) + ": " + rootMessage(e), e);
        }
        return new PostgresDatabase(ds, url);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * A job scheduler on this database. {@code runsJobs} false makes a node that only submits,
     * reads and cancels jobs (the {@code api} role); true also runs them on
     * {@code config.jobConcurrency()} threads.
     */
    public JobScheduler jobScheduler(StudioConfig config, boolean runsJobs) {
        PostgresJobScheduler s = new PostgresJobScheduler(dataSource, config, runsJobs, PostgresJobScheduler.Options.defaults());
        schedulers.add(s);
        return s;
    }

    /** Asset records as rows; give it to {@link VideoStudio.Builder#assetMetadata}. */
    public AssetMetadata assetMetadata() {
        return new PostgresAssetMetadata(dataSource);
    }

    /** Timelines as rows; clips are checked against {@code assets}. */
    public TimelineStore timelineStore(AssetLookup assets) {
        return new PostgresTimelineStore(dataSource, assets);
    }

    /**
     * Puts every store and the job scheduler of {@code builder} on this database. The schedulers
     * made here are closed with the database.
     *
     * @param runsJobs false for a node that serves HTTP only (role {@code api})
     */
    public VideoStudio.Builder configure(VideoStudio.Builder builder, boolean runsJobs) {
        return builder.assetMetadata(assetMetadata())
                .timelineStore(parts -> timelineStore(parts.assets()))
                .jobScheduler(parts -> jobScheduler(parts.config(), runsJobs));
    }

    /** Jobs per status and type on the whole cluster ({@code status -> type -> count}), for metrics. */
    public Map<String, Map<String, Long>> jobCounts() {
        return PostgresJobScheduler.counts(dataSource);
    }

    /** True when the database answers within a second (readiness). */
    public boolean isUp() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** The URL without credentials, for logs and health output. */
    public String describe() {
        return redact(url);
    }

    @Override
    public void close() {
        schedulers.forEach(JobScheduler::close);
        dataSource.close();
    }

    /** What a caller sees when the database is down: a 503 that says so; clients retry later. */
    static StudioException unavailable(SQLException e) {
        return new StudioException(StudioException.Problem.UNAVAILABLE, "database_unavailable",
                "the database is not reachable; retry later", java.util.List.of(), e);
    }

    static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replace('\n', ' ');
    }
}
