package dev.videostudio.postgres;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import dev.videostudio.timeline.AssetLookup;
import dev.videostudio.timeline.ProxyPreview;
import dev.videostudio.timeline.Timeline;
import dev.videostudio.timeline.TimelineJson;
import dev.videostudio.timeline.TimelineRecord;
import dev.videostudio.timeline.TimelineStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Timelines as rows of {@code studio_timelines}, with core's save rules ({@link TimelineRecord}).
 * Saves of one timeline are serialised by a row lock ({@code select ... for update}). The one
 * cross-store rule, "an asset in use cannot be deleted", holds across nodes through an advisory
 * lock: saves take it shared (they may run together), {@link #runIfUnused} exclusive, so no save
 * can start using an asset between the check and the delete.
 */
final class PostgresTimelineStore implements TimelineStore {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresTimelineStore.class);
    /** Any constant: the advisory lock between timeline saves and asset deletes. */
    private static final long ASSET_USE_LOCK = 0x5354_5544_494f_4153L;

    private final DataSource ds;
    private final AssetLookup assets;

    PostgresTimelineStore(DataSource ds, AssetLookup assets) {
        this.ds = ds;
        this.assets = assets;
    }

    @Override
    public Timeline save(Timeline draft) {
        MediaRoot.requireValidId(draft.tenant(), "tenant");
        return inTransaction(c -> {
            lock(c, "select pg_advisory_xact_lock_shared(?)");
            Timeline checked = TimelineJson.validate(draft, assets.forTenant(draft.tenant()));
            String id = checked.timelineId();
            Instant now = Instant.now();
            TimelineRecord stored;
            if (id != null) {
                TimelineRecord previous = load(c, id, true).orElseThrow(() -> StudioException.notFound("timeline", id));
                stored = previous.update(checked, now);
                write(c, stored, false);
            } else {
                stored = TimelineRecord.create(checked, MediaRoot.newId("tl"), now);
                write(c, stored, true);
            }
            LOG.info("timeline {} saved: revision {}{}", stored.timeline().timelineId(), stored.timeline().revision(),
                    stored.contentChanged() ? "" : " (same content)");
            return stored.timeline();
        });
    }

    @Override
    public Optional<Timeline> find(String timelineId) {
        MediaRoot.requireValidId(timelineId, "timeline");
        return inTransaction(c -> load(c, timelineId, false).map(TimelineRecord::timeline));
    }

    @Override
    public List<Timeline> list(String tenant) {
        return inTransaction(c -> {
            String sql = "select record from studio_timelines" + (tenant == null ? "" : " where tenant = ?")
                    + " order by created_at, timeline_id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (tenant != null) {
                    ps.setString(1, tenant);
                }
                List<Timeline> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(parse(rs.getString(1)).timeline());
                    }
                }
                return out;
            }
        });
    }

    @Override
    public boolean delete(String timelineId) {
        MediaRoot.requireValidId(timelineId, "timeline");
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from studio_timelines where timeline_id = ?")) {
                ps.setString(1, timelineId);
                boolean deleted = ps.executeUpdate() == 1;
                if (deleted) {
                    LOG.info("timeline {} deleted", timelineId);
                }
                return deleted;
            }
        });
    }

    @Override
    public Timeline updatePreview(String timelineId, ProxyPreview preview) {
        MediaRoot.requireValidId(timelineId, "timeline");
        return inTransaction(c -> {
            TimelineRecord current = load(c, timelineId, true).orElseThrow(() -> StudioException.notFound("timeline", timelineId));
            TimelineRecord stored = current.withPreview(preview);
            write(c, stored, false);
            return stored.timeline();
        });
    }

    @Override
    public boolean usesAsset(String assetId) {
        return inTransaction(c -> uses(c, assetId));
    }

    @Override
    public boolean runIfUnused(String assetId, Runnable action) {
        return inTransaction(c -> {
            lock(c, "select pg_advisory_xact_lock(?)");
            if (uses(c, assetId)) {
                return false;
            }
            action.run();
            return true;
        });
    }

    private static boolean uses(Connection c, String assetId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select exists (select 1 from studio_timelines where ? = any (asset_ids))")) {
            ps.setString(1, assetId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void lock(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, ASSET_USE_LOCK);
            ps.execute();
        }
    }

    private static Optional<TimelineRecord> load(Connection c, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select record from studio_timelines where timeline_id = ?"
                + (forUpdate ? " for update" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(parse(rs.getString(1))) : Optional.empty();
            }
        }
    }

    private static void write(Connection c, TimelineRecord r, boolean insert) throws SQLException {
        Timeline t = r.timeline();
        String[] assetIds = t.tracks().stream().flatMap(tr -> tr.clips().stream()).map(cl -> cl.assetId())
                .distinct().toArray(String[]::new);
        String json;
        try {
            json = StudioJson.mapper().writeValueAsString(r.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String sql = insert
                ? "insert into studio_timelines (revision, asset_ids, record, timeline_id, tenant, created_at) values (?, ?, ?::jsonb, ?, ?, ?)"
                : "update studio_timelines set revision = ?, asset_ids = ?, record = ?::jsonb where timeline_id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, t.revision());
            ps.setArray(2, c.createArrayOf("text", assetIds));
            ps.setString(3, json);
            ps.setString(4, t.timelineId());
            if (insert) {
                ps.setString(5, t.tenant());
                ps.setTimestamp(6, Timestamp.from(t.createdAt()));
            }
            if (ps.executeUpdate() != 1) {
                throw new SQLException("timeline " + t.timelineId() + " was not written");
            }
        }
    }

    private static TimelineRecord parse(String json) {
        try {
            return TimelineRecord.fromJson(StudioJson.mapper().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable timeline row", e);
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction; a database that is down is a 503 for the caller. */
    private <T> T inTransaction(Work<T> work) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is going anyway
                }
                throw e;
            }
        } catch (SQLException e) {
            throw PostgresDatabase.unavailable(e);
        }
    }
}
