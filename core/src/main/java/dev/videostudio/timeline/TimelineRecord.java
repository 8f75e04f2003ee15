package dev.videostudio.timeline;

import dev.videostudio.ErrorCode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import java.time.Instant;

/**
 * A saved timeline and what a {@link TimelineStore} keeps beside it, with the rules of a save
 * written once for every store: the revision bump, optimistic concurrency, tenant ownership and
 * the proxy preview going stale (or ready again). A store only decides where records live and
 * how saves are serialised (a lock, a database transaction); it calls {@link #create} or
 * {@link #update} on a draft checked by {@link TimelineJson#validate} and stores the result
 * ({@link #toJson()} / {@link #fromJson} give one JSON document per timeline).
 *
 * @param timeline        the timeline as clients see it
 * @param contentRevision the revision of the last change of content ({@link TimelineHash})
 * @param hash            the content hash of {@code timeline}
 * @param previewHash     the content hash the ready or stale proxy was rendered from, when known
 */
public record TimelineRecord(Timeline timeline, long contentRevision, String hash, String previewHash) {

    /** Extra fields of the stored JSON beside the timeline's own. */
    private static final String CONTENT_REVISION = "content_revision";
    private static final String PREVIEW_HASH = "preview_hash";
    private static final String PROXY_PREVIEW = "proxy_preview";
    /** Inside {@code proxy_preview}: the render version, which clients do not see. */
    private static final String VERSION = "version";

    /** The error code of a save whose draft revision is not the stored one. */
    public static final String REVISION_CONFLICT = ErrorCode.REVISION_CONFLICT.value();

    /** The record of a new timeline: revision 1, no preview. */
    public static TimelineRecord create(Timeline checked, String timelineId, Instant now) {
        Timeline saved = new Timeline(timelineId, checked.name(), checked.width(), checked.height(), checked.fps(),
                checked.tracks(), 1, ProxyPreview.none(), now, now, checked.tenant());
        return new TimelineRecord(saved, 1, TimelineHash.of(saved), null);
    }

    /**
     * The record after saving {@code checked} over this one.
     *
     * @throws StudioException 404 {@code not_found} when the draft's tenant does not own this
     *                         timeline (as if it did not exist), 409 {@code revision_conflict} when
     *                         the draft carries a revision (above 0) other than the stored one
     */
    public TimelineRecord update(Timeline checked, Instant now) {
        Timeline previous = timeline;
        if (!previous.tenant().equals(checked.tenant())) {
            throw StudioException.notFound("timeline", previous.timelineId());
        }
        if (checked.revision() > 0 && checked.revision() != previous.revision()) {
            throw new StudioException(StudioException.Problem.CONFLICT, REVISION_CONFLICT,
                    "timeline '" + previous.timelineId() + "' was saved by someone else meanwhile: this edit is based on revision "
                            + checked.revision() + " but the saved one is revision " + previous.revision()
                            + "; load it again and reapply the edit");
        }
        String newHash = TimelineHash.of(checked);
        long revision = previous.revision() + 1;
        boolean changed = !hash.equals(newHash);
        ProxyPreview preview = previous.proxyPreview() == null ? ProxyPreview.none() : previous.proxyPreview();
        if (changed && preview.status() == PreviewStatus.READY) {
            preview = preview.stale();
        } else if (preview.status() == PreviewStatus.STALE && newHash.equals(previewHash)) {
            // an edit undone: the proxy on disk shows this content again
            preview = ProxyPreview.ready(revision, preview.version());
        }
        Timeline saved = new Timeline(previous.timelineId(), checked.name(), checked.width(), checked.height(),
                checked.fps(), checked.tracks(), revision, preview, previous.createdAt(), now, previous.tenant());
        return new TimelineRecord(saved, changed ? revision : contentRevision, newHash, previewHash);
    }

    /** True when the last save changed the content (the revision is the content revision). */
    public boolean contentChanged() {
        return contentRevision == timeline.revision();
    }

    /**
     * The record with a new preview state, revision unchanged. A {@code ready} preview for a
     * revision older than the last content change is stored as {@code stale}.
     */
    public TimelineRecord withPreview(ProxyPreview preview) {
        ProxyPreview p = preview == null ? ProxyPreview.none() : preview;
        String shownHash = null;
        if (p.status() == PreviewStatus.READY) {
            if (p.revision() != null && p.revision() < contentRevision) {
                p = p.stale();
            } else {
                shownHash = hash;
            }
        }
        return new TimelineRecord(timeline.withProxyPreview(p), contentRevision, hash, shownHash);
    }

    /** True when a clip of the timeline uses this asset. */
    public boolean usesAsset(String assetId) {
        return timeline.tracks().stream().flatMap(t -> t.clips().stream()).anyMatch(c -> c.assetId().equals(assetId));
    }

    /** The stored form: the timeline's JSON plus {@code content_revision} and {@code preview_hash}. */
    public ObjectNode toJson() {
        ObjectNode tree = StudioJson.mapper().valueToTree(timeline);
        tree.put(CONTENT_REVISION, contentRevision);
        ProxyPreview preview = timeline.proxyPreview();
        if (preview != null && preview.version() != null && tree.get(PROXY_PREVIEW) instanceof ObjectNode p) {
            p.put(VERSION, preview.version());
        }
        if (previewHash != null) {
            tree.put(PREVIEW_HASH, previewHash);
        }
        return tree;
    }

    /** Reads the stored form back (unknown fields are ignored, a missing content revision is the revision). */
    public static TimelineRecord fromJson(JsonNode tree) {
        ObjectMapper mapper = StudioJson.mapper();
        try {
            Timeline t = mapper.treeToValue(tree, Timeline.class);
            JsonNode version = tree.path(PROXY_PREVIEW).path(VERSION);
            if (t.proxyPreview() != null) {
                // the url is the adapter's (files of older versions stored one): only the version is kept
                t = t.withProxyPreview(t.proxyPreview().withUrl(null).withVersion(version.isTextual() ? version.asText() : null));
            }
            long contentRevision = tree.path(CONTENT_REVISION).asLong(t.revision());
            String previewHash = tree.path(PREVIEW_HASH).isTextual() ? tree.get(PREVIEW_HASH).asText() : null;
            return new TimelineRecord(t, contentRevision, TimelineHash.of(t), previewHash);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a stored timeline: " + e.getOriginalMessage(), e);
        }
    }
}
