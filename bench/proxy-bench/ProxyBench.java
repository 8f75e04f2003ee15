import dev.videostudio.StudioConfig;
import dev.videostudio.VideoStudio;
import dev.videostudio.asset.Asset;
import dev.videostudio.helidon.StudioServer;
import dev.videostudio.proxy.ProxyState;
import dev.videostudio.timeline.Clip;
import dev.videostudio.timeline.PreviewStatus;
import dev.videostudio.timeline.Timeline;
import dev.videostudio.timeline.Track;
import dev.videostudio.timeline.TrackKind;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Our side of bench/proxy: edit proxies, the live stream's first segment (5 and 60 minutes), full
 * render, re-render after one trim, a render without edit proxies, and cached POST latency, over the real studio (in process) and the real server.
 * Prints {@code key=value} lines that bench/proxy turns into a table.
 *
 * Usage: java -cp ... ProxyBench.java MEDIA_ROOT CLIPS_FILE SOURCE...
 * CLIPS_FILE: one clip a line, "source_index in out".
 */
public class ProxyBench {

    public static void main(String[] args) throws Exception {
        Path media = Path.of(args[0]);
        List<double[]> clips = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            if (!line.isBlank()) {
                clips.add(Arrays.stream(line.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray());
            }
        }
        List<Path> sources = Arrays.stream(args).skip(2).map(Path::of).toList();
        StudioConfig config = StudioConfig.builder().mediaRoot(media).build();
        try (VideoStudio studio = VideoStudio.builder().config(config).build()) {
            // 1. upload: each video asset gets its edit proxy in a background job
            long t0 = System.nanoTime();
            List<Asset> assets = new ArrayList<>();
            for (Path s : sources) {
                try (InputStream in = Files.newInputStream(s)) {
                    assets.add(studio.assets().ingest(VideoStudio.DEFAULT_TENANT, s.getFileName().toString(), in));
                }
            }
            for (Asset a : assets) {
                while (studio.proxies().renderer().editProxy(a.assetId()).isEmpty()) {
                    Thread.sleep(20);
                }
            }
            print("edit_proxies_s", secs(t0));

            // 2. the live stream's first segment of a 60 minute timeline (240 clips: the 20 clips
            // twelve times), segment cache empty; the render is then cancelled and its pieces removed
            List<double[]> hour = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                hour.addAll(clips);
            }
            print("hour_first_segment_s", firstSegment(studio, studio.timelines().save(timeline(null, assets, hour, -1))
                    .timelineId(), media));

            // 3. full render of the 5 minute, 20 clip timeline (segment cache empty), its live stream's first segment
            Timeline saved = studio.timelines().save(timeline(null, assets, clips, -1));
            String id = saved.timelineId();
            int before = segmentFiles(media);
            double cpu1 = cpu();
            long t1 = System.nanoTime();
            print("first_segment_s", render(studio, id));
            print("full_s", secs(t1));
            print("full_cpu_s", cpu() - cpu1);
            print("full_segments", segmentFiles(media) - before);
            print("duration_s", saved.duration());
            Path proxy = media.resolve("video_proxies").resolve(id + ".webm");
            print("proxy_file", proxy);

            // 4. change one clip's trim (ripple: later clips move up), render again
            print("retrim_duration_s", studio.timelines().save(timeline(id, assets, clips, clips.size() / 2)).duration());
            before = segmentFiles(media);
            int soundBefore = soundFiles(media);
            long t2 = System.nanoTime();
            render(studio, id);
            print("retrim_s", secs(t2));
            print("retrim_segments", segmentFiles(media) - before);
            print("retrim_sound_chunks", soundFiles(media) - soundBefore);

            // 5. cached POST: in process, then over HTTP on the real server
            long jobsBefore = jobFiles(media);
            long[] inProcess = new long[100_000];
            for (int i = 0; i < inProcess.length; i++) {
                long s = System.nanoTime();
                ProxyState st = studio.proxies().request(id, false);
                inProcess[i] = System.nanoTime() - s;
                if (st.status() != PreviewStatus.READY) {
                    throw new IllegalStateException("not cached: " + st);
                }
            }
            Arrays.sort(inProcess);
            print("inprocess_p50_us", inProcess[inProcess.length / 2] / 1e3);
            print("inprocess_p99_us", inProcess[inProcess.length * 99 / 100] / 1e3);
            WebServer server = StudioServer.start(studio, Config.builder()
                    .addSource(ConfigSources.create(Map.of("server.port", "0", "server.host", "127.0.0.1")))
                    .disableEnvironmentVariablesSource().disableSystemPropertiesSource().build());
            try {
                HttpClient client = HttpClient.newHttpClient();
                HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                                + "/api/generate/video/timeline/" + id + "/proxy"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"force\": false}")).build();
                for (int i = 0; i < 300; i++) { // warm-up
                    client.send(post, HttpResponse.BodyHandlers.ofString());
                }
                long[] http = new long[2000];
                for (int i = 0; i < http.length; i++) {
                    long s = System.nanoTime();
                    HttpResponse<String> r = client.send(post, HttpResponse.BodyHandlers.ofString());
                    http[i] = System.nanoTime() - s;
                    if (r.statusCode() != 200 || !r.body().contains("\"cached\":true")) {
                        throw new IllegalStateException("not cached: " + r.statusCode() + " " + r.body());
                    }
                }
                Arrays.sort(http);
                print("http_p50_ms", http[http.length / 2] / 1e6);
                print("http_p99_ms", http[http.length * 99 / 100] / 1e6);
                print("http_max_ms", http[http.length - 1] / 1e6);
            } finally {
                server.stop();
            }
            print("jobs_created_by_cached_posts", jobFiles(media) - jobsBefore);

            // 6. the same full edit without edit proxies (and the 60 minute one's first segment) and with an empty segment cache: decodes 1080p
            for (Path dir : List.of(media.resolve("edit_proxies"), media.resolve("segments"))) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f); // a cancelled render may still be removing its temporary files
                    }
                }
            }
            print("originals_hour_first_segment_s", firstSegment(studio,
                    studio.timelines().save(timeline(null, assets, hour, -1)).timelineId(), media));
            String cold = studio.timelines().save(timeline(null, assets, clips, -1)).timelineId();
            double cpu3 = cpu();
            long t3 = System.nanoTime();
            print("originals_first_segment_s", render(studio, cold));
            print("originals_s", secs(t3));
            print("originals_cpu_s", cpu() - cpu3);
        }
    }

    /** The bench edit: one video track of back-to-back clips; {@code shortened} loses 2 s at its end. */
    static Timeline timeline(String id, List<Asset> assets, List<double[]> clips, int shortened) {
        List<Clip> list = new ArrayList<>();
        double at = 0;
        for (int i = 0; i < clips.size(); i++) {
            double[] c = clips.get(i);
            double out = i == shortened ? c[2] - 2 : c[2];
            list.add(new Clip("c" + i, assets.get((int) c[0]).assetId(), at, c[1], out, null, false));
            at += out - c[1];
        }
        return new Timeline(id, "bench", 1920, 1080, 30, List.of(new Track("v1", TrackKind.VIDEO, list)),
                0, null, null, null, null);
    }

    /** Renders; returns the seconds from the request to the live stream's first playable segment. */
    static double render(VideoStudio studio, String id) throws InterruptedException {
        long t = System.nanoTime();
        double first = -1;
        ProxyState s = studio.proxies().request(id, false);
        while (s.status() == PreviewStatus.PROCESSING) {
            if (first < 0 && s.stream() != null) {
                first = secs(t);
            }
            Thread.sleep(first < 0 ? 2 : 10);
            s = studio.proxies().state(id);
        }
        if (s.status() != PreviewStatus.READY) {
            throw new IllegalStateException("render of " + id + " ended " + s);
        }
        return first;
    }

    /**
     * Seconds from the request to the live stream's first playable segment; then cancels the
     * render and removes the cached pieces it made, so that the next measure starts from an empty cache.
     */
    static double firstSegment(VideoStudio studio, String id, Path media) throws Exception {
        long t = System.nanoTime();
        ProxyState s = studio.proxies().request(id, false);
        while (s.status() == PreviewStatus.PROCESSING && s.stream() == null) {
            Thread.sleep(2);
            s = studio.proxies().state(id);
        }
        double first = secs(t);
        if (s.stream() == null) {
            throw new IllegalStateException("no live stream for " + id + ": " + s);
        }
        studio.jobs().cancel(s.jobId());
        while (studio.jobs().find(s.jobId()).map(j -> !j.status().isFinal()).orElse(false)) {
            Thread.sleep(20);
        }
        try (Stream<Path> files = Files.list(media.resolve("segments"))) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f); // a cancelled render may still be removing its temporary files
            }
        }
        return first;
    }

    /**
     * CPU seconds (user + system) of this JVM and of the ffmpeg runs it has waited for (Linux
     * {@code /proc/self/stat}: utime, stime, cutime, cstime): the work done, whatever else runs on the host.
     */
    static double cpu() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = 0;
        for (int i = 11; i <= 14; i++) { // fields 14..17 of proc(5), counted from the state field (3)
            ticks += Long.parseLong(f[i]);
        }
        return ticks / 100.0; // USER_HZ
    }

    static int segmentFiles(Path media) throws Exception {
        try (Stream<Path> s = Files.list(media.resolve("segments"))) {
            return (int) s.filter(p -> p.getFileName().toString().matches("v-.*\\.webm")).count();
        }
    }

    static int soundFiles(Path media) throws Exception {
        try (Stream<Path> s = Files.list(media.resolve("segments"))) {
            return (int) s.filter(p -> p.getFileName().toString().startsWith("a-")).count();
        }
    }

    static long jobFiles(Path media) throws Exception {
        try (Stream<Path> s = Files.list(media.resolve("jobs"))) {
            return s.count();
        }
    }

    static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static void print(String key, Object value) {
        System.out.println(key + "=" + (value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : value));
    }
}
