package dev.videostudio.proxy;

import dev.videostudio.MediaRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The HLS stream of one running render: an EVENT playlist of fMP4 segments (one per picture
 * segment of the plan) that lists each segment once it and every earlier one are written, and
 * ends with {@code EXT-X-ENDLIST} when all are. A seek ({@link #prioritise}) moves the segments
 * from that moment to the front of the render and opens a second playlist starting there, so a
 * player can watch that part before the ones in between exist.
 *
 * <p>Files, all in {@code video_proxies/} (served by {@code /media/}, never cached by browsers):
 * {@code {name}.m3u8} from the start, {@code {name}.from-{k}.m3u8} from segment {@code k},
 * {@code {name}.init.mp4} and {@code {name}.{k}.m4s}. Every file is written to a temporary name
 * and renamed, segments before a playlist lists them.
 */
public final class LiveStream {

    /** Where a player should start: the playlist's file name and the timeline second its time 0 stands for. */
    public record Start(String playlist, double seconds) {
    }

    private final Path folder;
    private final String name;
    private final TreeMap<Integer, Integer> listed = new TreeMap<>(); // playlist start -> segments listed up to
    private double[] starts = new double[0]; // seconds, one per segment, then the end
    private boolean[] written = new boolean[0];
    private boolean ended;
    private volatile int priority;
    private volatile boolean opened;

    /**
     * @param folder    where the files go ({@code video_proxies/})
     * @param name      the prefix of every file of this stream (a plain file name)
     */
    LiveStream(Path folder, String name) {
        this.folder = folder;
        this.name = name;
    }

    /** The playlist from the timeline's start, once it lists a segment. */
    public Optional<Start> start() {
        return playlist(0);
    }

    /**
     * Renders the part from {@code seconds} first and returns the playlist that plays it: the one
     * from the start if it already lists that moment, else one starting at the segment holding it
     * (empty until that segment is written).
     */
    public Optional<Start> prioritise(double seconds) {
        synchronized (this) {
            if (!opened) {
                return Optional.empty();
            }
            int k = segmentAt(seconds);
            if (listed.getOrDefault(0, 0) > k) {
                return start();
            }
            priority = k;
            if (!listed.containsKey(k)) {
                listed.put(k, k);
                advance();
            }
            return playlist(k);
        }
    }

    /**
     * The playlist that plays {@code seconds} after {@link #prioritise}: the one from the start if it
     * lists that moment, else the one from its segment (which may not exist yet). Empty before the
     * plan is known. Lets another process name the playlist before it is written ({@link SharedStream}).
     */
    synchronized Optional<Start> planned(double seconds) {
        if (!opened) {
            return Optional.empty();
        }
        int k = segmentAt(seconds);
        if (listed.getOrDefault(0, 0) > k || !listed.containsKey(k)) {
            return Optional.of(new Start(name + ".m3u8", 0));
        }
        return Optional.of(new Start(k == 0 ? name + ".m3u8" : name + ".from-" + k + ".m3u8", starts[k]));
    }

    private synchronized Optional<Start> playlist(int from) {
        Integer upTo = listed.get(from);
        if (upTo == null || upTo <= from) {
            return Optional.empty();
        }
        String file = from == 0 ? name + ".m3u8" : name + ".from-" + from + ".m3u8";
        return Optional.of(new Start(file, starts[from]));
    }

    /** The segment the render should start from now (the last seek's, else 0). */
    int priority() {
        return priority;
    }

    /** Called by the renderer before any segment: the start of each segment, then the end, in seconds. */
    synchronized void open(double[] segmentStarts) {
        this.starts = segmentStarts.clone();
        this.written = new boolean[segmentStarts.length - 1];
        listed.put(0, 0);
        opened = true;
    }

    Path initFile() {
        return folder.resolve(name + ".init.mp4");
    }

    Path segmentFile(int k) {
        return folder.resolve(name + "." + k + ".m4s");
    }

    /** Segment {@code k} is written (with the init section): lists it where it continues a playlist. */
    synchronized void written(int k) {
        written[k] = true;
        advance();
    }

    /** Every segment is written: the playlists end. */
    synchronized void end() {
        ended = true;
        advance();
    }

    private void advance() {
        for (var e : listed.entrySet()) {
            int upTo = e.getValue();
            while (upTo < written.length && written[upTo]) {
                upTo++;
            }
            if (upTo != e.getValue() || ended) {
                e.setValue(upTo);
                writePlaylist(e.getKey(), upTo);
            }
        }
    }

    private void writePlaylist(int from, int upTo) {
        if (upTo <= from) {
            return; // a player is given no playlist before it lists a segment
        }
        double longest = 1;
        for (int k = 0; k < written.length; k++) {
            longest = Math.max(longest, starts[k + 1] - starts[k]);
        }
        StringBuilder m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n")
                .append("#EXT-X-TARGETDURATION:").append((long) Math.ceil(longest)).append('\n')
                .append("#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-MEDIA-SEQUENCE:").append(from).append('\n')
                .append("#EXT-X-INDEPENDENT-SEGMENTS\n")
                .append("#EXT-X-MAP:URI=\"").append(initFile().getFileName()).append("\"\n");
        for (int k = from; k < upTo; k++) {
            m3u8.append(String.format(Locale.ROOT, "#EXTINF:%.6f,%n", starts[k + 1] - starts[k]))
                    .append(segmentFile(k).getFileName()).append('\n');
        }
        if (ended && upTo == written.length) {
            m3u8.append("#EXT-X-ENDLIST\n");
        }
        String file = from == 0 ? name + ".m3u8" : name + ".from-" + from + ".m3u8";
        MediaRoot.writeAtomically(folder.resolve(file), m3u8.toString().getBytes(StandardCharsets.UTF_8));
    }

    private int segmentAt(double seconds) {
        int k = 0;
        while (k + 1 < written.length && starts[k + 1] <= seconds) {
            k++;
        }
        return k;
    }

    /** Removes the files of a timeline's streams except those whose names start with one of {@code keep}. */
    static void removeOthers(Path folder, String timelineId, java.util.Set<String> keep) {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(folder, timelineId + ".live-*")) {
            for (Path p : old) {
                String file = p.getFileName().toString();
                if (keep.stream().noneMatch(file::startsWith)) {
                    MediaRoot.deleteQuietly(p);
                }
            }
        } catch (IOException e) {
            // left for the next render or the timeline's deletion
        }
    }
}
