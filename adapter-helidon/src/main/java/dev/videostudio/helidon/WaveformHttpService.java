package dev.videostudio.helidon;

import dev.videostudio.StudioException;
import dev.videostudio.VideoStudio;
import dev.videostudio.asset.WaveformStatus;
import dev.videostudio.waveform.Waveform;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/media/video-assets/{asset_id}/waveform}: GET returns the waveform when ready (the
 * stored file as it is, or a coarser level / split channels / {@code .dat} on request), else
 * starts its one job and answers 202; POST retries after a failure.
 */
final class WaveformHttpService implements HttpService {

    static final String PATH = AssetHttpService.PATH;
    /** Seconds a client should wait before asking again while the waveform is computed. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final VideoStudio studio;

    WaveformHttpService(VideoStudio studio) {
        this.studio = studio;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{asset_id}/waveform", (req, res) -> answer(req, res, false))
                .post("/{asset_id}/waveform", (req, res) -> answer(req, res, true));
    }

    private void answer(ServerRequest req, ServerResponse res, boolean retry) throws IOException {
        String assetId = req.path().pathParameters().get("asset_id");
        WaveformQuery query = query(req);
        boolean dat = "dat".equals(req.query().first("format").orElse("json"));
        WaveformState state = retry ? studio.waveforms().retry(assetId) : studio.waveforms().request(assetId);
        switch (state.status()) {
            case READY -> ready(res, assetId, query, dat);
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

    private void ready(ServerResponse res, String assetId, WaveformQuery query, boolean dat) throws IOException {
        if (dat) {
            Waveform w = studio.waveforms().read(assetId, query);
            res.header(HeaderNames.CONTENT_TYPE, "application/octet-stream")
                    .header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + assetId + ".dat\"");
            try (OutputStream out = res.outputStream()) {
                w.writeDat(out);
            }
            return;
        }
        Optional<Path> stored = query.isStored() ? studio.waveforms().storedJson(assetId) : Optional.empty();
        if (stored.isPresent()) {
            // the stored file goes out as it is, wrapped without parsing it
            byte[] head = ("{\"asset_id\":\"" + assetId + "\",\"status\":\"ready\",\"waveform\":")
                    .getBytes(StandardCharsets.UTF_8);
            res.header(HeaderNames.CONTENT_TYPE, "application/json")
                    .header(HeaderNames.CACHE_CONTROL, "no-store");
            try (OutputStream out = res.outputStream()) {
                out.write(head);
                Files.copy(stored.get(), out);
                out.write('}');
            }
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("asset_id", assetId);
        body.put("status", WaveformStatus.READY);
        body.put("waveform", studio.waveforms().read(assetId, query));
        Json.ok(res, body);
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
        return new WaveformQuery(channels.equals("split"), spp, pps, bits);
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
