package dev.videostudio.proxy;

import dev.videostudio.MediaRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running render's {@link LiveStream} as every process sharing the media folder sees it, when
 * another process renders it (the distributed mode: an api node answers, a worker renders). Only
 * files carry it, so nothing is lost when either process dies:
 * <ul>
 * <li>the stream exists once its playlist exists ({@link LiveStream} writes a playlist only once
 *     it lists a segment);</li>
 * <li>a seek is the file {@code {name}.seek} (the asked second, written whole by a rename), which the
 *     rendering process reads every {@link #POLL_MILLIS} ms; it moves its render as for a local seek
 *     and answers in {@code {name}.seek-answer}: the asked second, the playlist that plays it and
 *     that playlist's start, so the answering process can hand it out once the playlist exists.</li>
 * </ul>
 */
final class SharedStream {

    private static final Logger LOG = LoggerFactory.getLogger(SharedStream.class);
    static final long POLL_MILLIS = 100;

    private SharedStream() {
    }

    /** Stops serving seeks. */
    interface Serving extends AutoCloseable {
        @Override
        void close();
    }

    /** The playlist of the stream {@code name} in {@code folder} that plays from {@code from} (null: the start). */
    static Optional<LiveStream.Start> find(Path folder, String name, Double from) {
        Path main = folder.resolve(name + ".m3u8");
        String playlist = read(main);
        if (playlist == null) {
            return Optional.empty(); // nothing listed yet (or the render is not this stream's)
        }
        LiveStream.Start start = new LiveStream.Start(name + ".m3u8", 0);
        if (from == null || !(from > 0) || playlist.contains("#EXT-X-ENDLIST") || listedSeconds(playlist) > from) {
            return Optional.of(start);
        }
        String asked = seconds(from);
        String answer = read(folder.resolve(name + ".seek-answer"));
        if (answer != null) {
            String[] a = answer.trim().split(" ");
            if (a.length == 3 && a[0].equals(asked)) {
                return Files.isRegularFile(folder.resolve(a[1]))
                        ? Optional.of(new LiveStream.Start(a[1], Double.parseDouble(a[2]))) : Optional.empty();
            }
        }
        Path seek = folder.resolve(name + ".seek");
        if (!asked.equals(read(seek))) {
            MediaRoot.writeAtomically(seek, asked.getBytes(StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }

    /** The seconds a playlist lists so far (the sum of its {@code EXTINF}). */
    static double listedSeconds(String playlist) {
        double sum = 0;
        for (String line : playlist.split("\n")) {
            if (line.startsWith("#EXTINF:")) {
                int comma = line.indexOf(',');
                sum += Double.parseDouble(line.substring(8, comma < 0 ? line.length() : comma));
            }
        }
        return sum;
    }

    /**
     * In the rendering process: applies the seeks other processes ask of {@code live} until closed
     * (a daemon thread that reads one small file every {@link #POLL_MILLIS} ms).
     */
    static Serving serve(Path folder, String name, LiveStream live) {
        Path seek = folder.resolve(name + ".seek");
        Thread t = Thread.ofVirtual().name("videostudio-seeks-" + name).start(() -> {
            String handled = null;
            while (!Thread.currentThread().isInterrupted()) {
                String asked = read(seek);
                if (asked != null && !asked.equals(handled)) {
                    try {
                        double s = Double.parseDouble(asked);
                        live.prioritise(s);
                        Optional<LiveStream.Start> plays = live.planned(s);
                        if (plays.isPresent()) { // before the plan is open, asked again next time
                            MediaRoot.writeAtomically(folder.resolve(name + ".seek-answer"), (asked + " "
                                    + plays.get().playlist() + " " + seconds(plays.get().seconds())).getBytes(StandardCharsets.UTF_8));
                            handled = asked;
                        }
                    } catch (RuntimeException e) {
                        LOG.debug("seek {} of stream {} not applied: {}", asked, name, e.toString());
                        handled = asked;
                    }
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return t::interrupt;
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    /** The file's text, or null when it is missing or unreadable (a render that ended took it away). */
    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
