package dev.videostudio.helidon;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.asset.Asset;
import dev.videostudio.VideoStudio;
import dev.videostudio.asset.WaveformStatus;
import dev.videostudio.waveform.WaveformAnswer;
import dev.videostudio.waveform.WaveformFormat;
import dev.videostudio.waveform.WaveformQuery;
import dev.videostudio.waveform.WaveformState;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /api/media/video-assets/{asset_id}/waveform}: GET returns the waveform when ready (the
 * stored file as it is, or a coarser level / a span of it / split channels / {@code .dat} on
 * request) with an entity tag, gzip and browser caching, else starts its one job and answers
 * 202; POST retries after a failure.
 */
final class WaveformHttpService implements HttpService {

    static final String PATH = AssetHttpService.PATH;
    /** Seconds a client should wait before asking again while the waveform is computed. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final VideoStudio studio;
    private final Quotas quotas;

    WaveformHttpService(VideoStudio studio, Quotas quotas) {
        this.studio = studio;
        this.quotas = quotas;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{asset_id}/waveform", (req, res) -> answer(req, res, false))
                .post("/{asset_id}/waveform", (req, res) -> answer(req, res, true));
    }

    private void answer(ServerRequest req, ServerResponse res, boolean retry) throws IOException {
        String assetId = MediaRoot.requireValidId(req.path().pathParameters().get("asset_id"), "asset");
        WaveformQuery query = query(req);
        WaveformFormat format = format(req);
        if (!retry) {
            // seen ready moments ago: no record, status or file to read again (a ready waveform never changes)
            Optional<Asset> known = studio.waveforms().readyAsset(assetId);
            if (known.isPresent()) {
                Caller.of(req).requireSees(known.get().tenant(), "asset", assetId);
                ready(req, res, assetId, query, format, true);
                return;
            }
        }
        Asset asset = studio.assets().find(assetId).orElseThrow(() -> StudioException.notFound("asset", assetId));
        Caller.of(req).requireSees(asset.tenant(), "asset", assetId);
        WaveformStatus before = studio.waveforms().status(assetId);
        if (retry || before == WaveformStatus.IDLE || before == WaveformStatus.FAILED) {
            quotas.beforeJob(asset.tenant());
        }
        WaveformState state = retry ? studio.waveforms().retry(assetId) : studio.waveforms().request(assetId);
        quotas.started(state.jobId());
        switch (state.status()) {
            case READY -> ready(req, res, assetId, query, format, !retry);
            case FAILED -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("asset_id", assetId);
                body.put("status", WaveformStatus.FAILED);
                body.put("job_id", state.jobId());
                body.put("error", state.error());
                Json.ok(res, body);
            }
            default -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("asset_id", assetId);
                body.put("status", WaveformStatus.PROCESSING);
                body.put("job_id", state.jobId());
                body.put("progress", state.progress());
                res.header(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
                Json.send(res, Status.ACCEPTED_202, body);
            }
        }
    }

    /**
     * A ready answer: tagged with the hash of its bytes; gzip-compressed when the client takes it
     * (compressed once, the first time, and kept: serving is a copy of kept bytes); and, where the
     * URL names its level (a ready waveform never changes), cacheable for a year.
     */
    private void ready(ServerRequest req, ServerResponse res, String assetId, WaveformQuery query,
                       WaveformFormat format, boolean cacheable) throws IOException {
        boolean gzip = acceptsGzip(req);
        boolean plain = query.isStored() && format == WaveformFormat.JSON;
        long t0 = System.nanoTime();
        // the plain answer is the stored file as it is: kept in memory unless it is large (an hour: 14 MB)
        WaveformAnswer answer = plain ? studio.waveforms().storedAnswer(assetId).orElse(null)
                : studio.waveforms().answer(assetId, query, format);
        // what making (or finding) the answer cost, for browsers' developer tools and the benchmark
        res.header(SERVER_TIMING, serverTiming(System.nanoTime() - t0));
        String tag = answer != null ? answer.etag() : studio.waveforms().storedAnswerTag(assetId);
        if (cacheable) {
            boolean fixedLevel = query.samplesPerPixel() != null || query.pixelsPerSecond() != null;
            res.header(HeaderNames.ETAG, gzip ? gzipTag(tag) : tag)
                    .header(HeaderNames.CACHE_CONTROL, fixedLevel ? IMMUTABLE : REVALIDATE)
                    .header(HeaderNames.VARY, "Accept-Encoding");
            if (matches(req, tag)) {
                res.status(Status.NOT_MODIFIED_304).send();
                return;
            }
        } else {
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
        }
        res.header(HeaderNames.CONTENT_TYPE, format == WaveformFormat.JSON ? "application/json" : "application/octet-stream");
        if (format != WaveformFormat.JSON) {
            res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + assetId + ".dat\"");
        }
        if (gzip) {
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
        }
        if (answer != null) {
            byte[] body = gzip ? answer.gzip() : answer.body();
            if (body.length <= SEND_CHUNK) {
                res.send(body);
                return;
            }
            // a large kept answer goes out in pieces, as a static file does: sent whole, it was
            // copied into one response buffer per request (0.43x to 0.65x of the static file at 815 kB)
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
            try (OutputStream out = res.outputStream()) {
                for (int at = 0; at < body.length; at += SEND_CHUNK) {
                    out.write(body, at, Math.min(SEND_CHUNK, body.length - at));
                }
            }
            return;
        }
        // a large stored file is streamed (and compressed while it streams), not kept
        try (OutputStream out = gzip ? new GZIPOutputStream(res.outputStream(), 1 << 16) : res.outputStream()) {
            studio.waveforms().writeStoredAnswer(assetId, out);
        }
    }

    private static final int SEND_CHUNK = 64 << 10;
    static final String IMMUTABLE = "private, max-age=31536000, immutable";
    private static final io.helidon.http.HeaderName SERVER_TIMING = HeaderNames.create("Server-Timing");
    static final String REVALIDATE = "private, no-cache";

    /** {@code waveform;dur=MS} with two decimals, cheaply: every ready answer carries it. */
    static String serverTiming(long nanos) {
        long hundredths = (nanos + 5_000) / 10_000;
        long fraction = hundredths % 100;
        return "waveform;dur=" + hundredths / 100 + (fraction < 10 ? ".0" : ".") + fraction;
    }

    /** The tag of the gzip form: a strong tag names one exact sequence of bytes. */
    private static String gzipTag(String tag) {
        return tag.substring(0, tag.length() - 1) + "-gz\"";
    }

    /** True when {@code If-None-Match} names this answer, in either encoding (or is {@code *}). */
    static boolean matches(ServerRequest req, String tag) {
        String bare = tag.substring(1, tag.length() - 1);
        for (String header : req.headers().all(HeaderNames.IF_NONE_MATCH, List::of)) {
            for (String t : header.split(",")) {
                String v = t.trim();
                if (v.startsWith("W/")) {
                    v = v.substring(2);
                }
                if (v.equals("*") || v.equals(tag) || v.equals("\"" + bare + "-gz\"")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True when {@code Accept-Encoding} lists gzip without {@code q=0}. */
    static boolean acceptsGzip(ServerRequest req) {
        for (String header : req.headers().all(HeaderNames.ACCEPT_ENCODING, List::of)) {
            for (String coding : header.split(",")) {
                String[] parts = coding.trim().split(";");
                String name = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
                if (!name.equals("gzip") && !name.equals("x-gzip")) {
                    continue;
                }
                boolean refused = false;
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].trim().replace(" ", "");
                    if (p.startsWith("q=")) {
                        try {
                            refused = Double.parseDouble(p.substring(2)) <= 0;
                        } catch (NumberFormatException e) {
                            refused = true;
                        }
                    }
                }
                if (!refused) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code format=json|dat}; {@code bands=true} adds the band energies to the {@code .dat}. */
    static WaveformFormat format(ServerRequest req) {
        String format = req.query().first("format").orElse("json");
        String bands = req.query().first("bands").orElse("false");
        if (!bands.equals("true") && !bands.equals("false")) {
            throw StudioException.malformed("bands must be 'true' or 'false'");
        }
        if (format.equals("json")) {
            return WaveformFormat.JSON;
        }
        if (format.equals("dat")) {
            return bands.equals("true") ? WaveformFormat.DAT_BANDS : WaveformFormat.DAT;
        }
        throw StudioException.malformed("format must be 'json' or 'dat'");
    }

    /** Reads {@code channels}, {@code samples_per_pixel}, {@code pixels_per_second} and {@code bits}; 400 when malformed. */
    static WaveformQuery query(ServerRequest req) {
        var q = req.query();
        String channels = q.first("channels").orElse("merged");
        if (!channels.equals("merged") && !channels.equals("split")) {
            throw StudioException.malformed("channels must be 'merged' or 'split'");
        }
        String format = q.first("format").orElse("json");
        if (!format.equals("json") && !format.equals("dat")) {
            throw StudioException.malformed("format must be 'json' or 'dat'");
        }
        Integer spp = q.first("samples_per_pixel").map(v -> positiveInt("samples_per_pixel", v)).orElse(null);
        Double pps = q.first("pixels_per_second").map(WaveformHttpService::positiveDouble).orElse(null);
        int bits = q.first("bits").map(v -> positiveInt("bits", v)).orElse(16);
        if (bits != 8 && bits != 16) {
            throw StudioException.malformed("bits must be 8 or 16");
        }
        Double start = q.first("start").map(v -> seconds("start", v)).orElse(null);
        Double end = q.first("end").map(v -> seconds("end", v)).orElse(null);
        if (start != null && end != null && !(end > start)) {
            throw StudioException.malformed("end must be after start");
        }
        return new WaveformQuery(channels.equals("split"), spp, pps, bits, start, end);
    }

    private static int positiveInt(String name, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw StudioException.malformed(name + " must be a positive whole number");
    }

    private static double seconds(String name, String v) {
        try {
            double d = Double.parseDouble(v);
            if (d >= 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw StudioException.malformed(name + " must be a number of seconds, 0 or more");
    }

    private static double positiveDouble(String v) {
        try {
            double d = Double.parseDouble(v);
            if (d > 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw StudioException.malformed("pixels_per_second must be a positive number");
    }
}
