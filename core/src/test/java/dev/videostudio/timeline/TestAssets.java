package dev.videostudio.timeline;

import dev.videostudio.asset.Asset;
import dev.videostudio.asset.AssetKind;
import java.time.Instant;
import java.util.List;

/** Asset records for unit tests of timeline logic (no files behind them). */
final class TestAssets {

    static final Asset VIDEO = asset("a_video", "flower.mp4", AssetKind.VIDEO, 10.0, true, true);
    static final Asset SILENT_VIDEO = asset("a_silent", "flower-noaudio.mp4", AssetKind.VIDEO, 8.0, false, true);
    static final Asset AUDIO = asset("a_audio", "t-rex-roar.mp3", AssetKind.AUDIO, 4.0, true, false);
    static final Asset IMAGE = asset("a_image", "still.png", AssetKind.IMAGE, null, false, true);
    static final AssetLookup LOOKUP = AssetLookup.of(List.of(VIDEO, SILENT_VIDEO, AUDIO, IMAGE));

    private TestAssets() {
    }

    static Asset asset(String id, String filename, AssetKind kind, Double duration, boolean audio, boolean video) {
        String stored = id + filename.substring(filename.lastIndexOf('.'));
        return new Asset(id, filename, kind, "application/octet-stream", 1000, duration, audio, video,
                video ? 640 : null, video ? 360 : null, kind == AssetKind.VIDEO ? 25.0 : null,
                audio ? 48000 : null, audio ? 2 : null, "/media/video_assets/" + stored,
                audio ? dev.videostudio.asset.WaveformStatus.IDLE : dev.videostudio.asset.WaveformStatus.UNAVAILABLE, Instant.parse("2026-01-01T00:00:00Z"), stored, null, null);
    }
}
