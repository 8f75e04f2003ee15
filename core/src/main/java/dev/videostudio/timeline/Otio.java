package dev.videostudio.timeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.ErrorDetail;
import dev.videostudio.StudioException;
import dev.videostudio.asset.Asset;
import java.util.List;
import java.util.function.Function;

/**
 * OpenTimelineIO ({@code .otio} JSON) import and export.
 *
 * <p>Read: {@code Timeline.1} with a {@code Stack.1} of {@code Track.1} (kind Video or Audio)
 * holding {@code Clip.1}/{@code Clip.2} with an {@code ExternalReference.1}, {@code Gap.1},
 * {@code RationalTime.1} and {@code TimeRange.1}. Gaps and clip durations give clip start times.
 * A media reference maps to an asset by {@code metadata.videostudio.asset_id}, then by a
 * {@code target_url} naming {@code /media/video_assets/{file}}, then by file name. What the
 * studio cannot represent (transitions, effects, markers, nested stacks, missing or generated
 * media, disabled video clips, track trims) is returned as warnings, each with its path in the
 * {@code .otio} document; media that matches no asset is an error.
 *
 * <p>OpenTimelineIO keeps picture and sound apart: a clip on a Video track is picture only. So
 * an imported video clip is muted unless its sound is found on an Audio track exported by this
 * studio ({@code metadata.videostudio.audio_of}); export writes the sound of each unmuted video
 * clip to such an Audio track, and keeps ids, volume and size in {@code metadata.videostudio},
 * so export then import gives the same timeline back.
 */
public final class Otio {

    private Otio() {
    }

    /**
     * A timeline read from a document (checked, not saved, without id) and what of the document
     * it could not represent (always empty for timeline JSON).
     */
    public record Imported(Timeline timeline, List<ErrorDetail> warnings) {
        public Imported {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Reads an OpenTimelineIO document.
     *
     * @throws StudioException 422 {@code invalid_timeline} with one detail per problem, naming
     *                         its path in the document (unknown media, bad times, overlaps...)
     */
    public static Imported importTimeline(JsonNode otio, AssetLookup assets) {
        return new OtioImporter(assets).read(otio);
    }

    /**
     * The path by which documents name a studio asset, {@code /media/video_assets/{stored name}}:
     * an OpenTimelineIO convention of the studio (import recognises it in any {@code target_url}),
     * and the path the HTTP adapter serves assets at unless it signs them.
     */
    public static String assetPath(Asset asset) {
        return OtioImporter.ASSET_PATH + asset.storedName();
    }

    /**
     * Writes a timeline as an OpenTimelineIO {@code Timeline.1} document; media references are the
     * assets' {@link #assetPath} ({@code /media/video_assets/{file}}).
     */
    public static JsonNode exportTimeline(Timeline timeline, AssetLookup assets) {
        return exportTimeline(timeline, assets, Otio::assetPath);
    }

    /**
     * Writes a timeline as OpenTimelineIO with media references of {@code targetUrl} (for example
     * {@code file://} URLs of the stored files, for tools on the same machine).
     */
    public static JsonNode exportTimeline(Timeline timeline, AssetLookup assets, Function<Asset, String> targetUrl) {
        return new OtioExporter(assets, targetUrl).write(timeline);
    }
}
