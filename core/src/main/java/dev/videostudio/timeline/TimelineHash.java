package dev.videostudio.timeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A hash of everything that affects a timeline's picture and sound: frame size, fps, the order
 * and kind of tracks, and each clip's asset, place, trim and gain. Ids, names, revision, preview
 * and dates do not change it, nor does the order clips are listed in a track, nor an empty track.
 * Two timelines with the same hash render to the same proxy, so it is the proxy cache key.
 */
public final class TimelineHash {

    private TimelineHash() {
    }

    /** The content hash of a timeline: 64 lower-case hex digits (SHA-256). */
    public static String of(Timeline timeline) {
        StringBuilder canonical = new StringBuilder("videostudio-timeline-v1\n");
        canonical.append(timeline.width()).append('x').append(timeline.height())
                .append('@').append(time(timeline.fps())).append('\n');
        for (Track track : timeline.tracks()) {
            if (track.clips().isEmpty()) {
                continue;
            }
            canonical.append("track ").append(track.kind())
                    .append(track.muted() ? " muted" : "").append(track.solo() ? " solo" : "").append('\n');
            List<Clip> clips = track.clips().stream().sorted(Comparator.comparingDouble(Clip::start)).toList();
            for (Clip c : clips) {
                canonical.append(clipLine(c)).append('\n');
            }
        }
        return sha256(canonical.toString());
    }

    /** The canonical text of one clip, also usable by a renderer to key a piece of a timeline. */
    static String clipLine(Clip c) {
        return "clip " + c.assetId() + ' ' + time(c.start()) + ' ' + time(c.sourceIn()) + ' ' + time(c.sourceOut())
                + ' ' + (c.muted() ? "muted" : "gain=" + time(c.gain()))
                + (c.fadeInSeconds() > 0 || c.fadeOutSeconds() > 0
                        ? " fade=" + time(c.fadeInSeconds()) + ',' + time(c.fadeOutSeconds()) : "");
    }

    /** Microsecond precision: finer differences are below any frame or sample the renderer makes. */
    private static String time(double seconds) {
        return Long.toString(Math.round(seconds * 1_000_000));
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
