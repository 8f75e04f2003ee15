package dev.videostudio.postgres;

import dev.videostudio.StudioJson;
import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Asset records as rows of {@code studio_assets} (the record's JSON plus the columns lists need);
 * receiving, probing and the media files stay core's ({@link dev.videostudio.asset.AssetStore#withMetadata}).
 * Every call reads the database: another node may have added or deleted an asset.
 */
final class PostgresAssetMetadata implements AssetMetadata {

    private final DataSource ds;

    PostgresAssetMetadata(DataSource ds) {
        this.ds = ds;
    }

    @Override
    public void put(Asset asset) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into studio_assets (asset_id, tenant, created_at, record) "
                        + "values (?, ?, ?, ?::jsonb) on conflict (asset_id) do update set tenant = excluded.tenant, "
                        + "record = excluded.record")) {
            ps.setString(1, asset.assetId());
            ps.setString(2, asset.tenant());
            ps.setTimestamp(3, Timestamp.from(asset.createdAt()));
            ps.setString(4, StudioJson.mapper().writeValueAsString(asset));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw PostgresDatabase.unavailable(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<Asset> get(String assetId) {
        List<Asset> found = query("select record from studio_assets where asset_id = ?", assetId);
        return found.stream().findFirst();
    }

    @Override
    public List<Asset> list(String tenant) {
        return tenant == null
                ? query("select record from studio_assets order by created_at, asset_id", null)
                : query("select record from studio_assets where tenant = ? order by created_at, asset_id", tenant);
    }

    @Override
    public boolean remove(String assetId) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from studio_assets where asset_id = ?")) {
            ps.setString(1, assetId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw PostgresDatabase.unavailable(e);
        }
    }

    private List<Asset> query(String sql, String arg) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            List<Asset> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(StudioJson.mapper().readValue(rs.getString(1), Asset.class));
                }
            }
            return out;
        } catch (SQLException e) {
            throw PostgresDatabase.unavailable(e);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable asset row", e);
        }
    }
}
