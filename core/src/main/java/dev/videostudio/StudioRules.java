package dev.videostudio;

import dev.videostudio.asset.AssetStore;
import dev.videostudio.proxy.ProxyService;
import dev.videostudio.timeline.TimelineStore;
import dev.videostudio.waveform.WaveformService;

/**
 * The rules that span stores, in one place: an asset a saved timeline uses cannot be deleted;
 * deleting an asset removes its waveform files; deleting a timeline frees its assets and removes
 * its proxy files. The atomic part of the first rule is {@link TimelineStore#runIfUnused}, which
 * each store implements for its own backend (a lock in one process, a transaction when several
 * processes share the stores), so the rule holds whatever stores {@link VideoStudio} was built with.
 */
public final class StudioRules {

    /** The error code of deleting an asset a saved timeline uses. */
    public static final String ASSET_IN_USE = ErrorCode.ASSET_IN_USE.value();

    private final AssetStore assets;
    private final TimelineStore timelines;
    private final WaveformService waveforms;
    private final ProxyService proxies;

    StudioRules(AssetStore assets, TimelineStore timelines, WaveformService waveforms, ProxyService proxies) {
        this.assets = assets;
        this.timelines = timelines;
        this.waveforms = waveforms;
        this.proxies = proxies;
    }

    /**
     * Deletes an asset with its waveform files. Refused with 409 {@code asset_in_use} while a
     * saved timeline uses it; saves wait meanwhile, so none can start using it half way.
     *
     * @return false when the asset did not exist
     */
    public boolean deleteAsset(String assetId) {
        boolean[] deleted = {false};
        if (!timelines.runIfUnused(assetId, () -> deleted[0] = assets.delete(assetId))) {
            throw new StudioException(StudioException.Problem.CONFLICT, ASSET_IN_USE,
                    "asset '" + assetId + "' is used by a saved timeline; remove it from the timeline first");
        }
        if (deleted[0]) {
            waveforms.delete(assetId);
        }
        return deleted[0];
    }

    /**
     * Deletes a saved timeline: its record first (its assets are free from then on), then its
     * running render and its proxy files (the shared segment cache stays).
     *
     * @return false when the timeline did not exist
     * @throws StudioException 400 for a malformed id
     */
    public boolean deleteTimeline(String timelineId) {
        MediaRoot.requireValidId(timelineId, "timeline");
        if (!timelines.delete(timelineId)) {
            return false;
        }
        proxies.delete(timelineId);
        return true;
    }
}
