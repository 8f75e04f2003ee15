package dev.videostudio.helidon;

import dev.videostudio.ErrorCode;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.VideoStudio;
import dev.videostudio.asset.Asset;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.fileupload2.core.MultipartInput;
import org.apache.commons.fileupload2.core.ParameterParser;

/**
 * {@code /api/media/video-assets}: upload (multipart part {@code file}, streamed straight to the
 * asset store, never held in memory), list, read one, delete.
 */
final class AssetHttpService implements HttpService {

    static final String PATH = "/api/media/video-assets";
    /** Room for multipart boundaries and part headers on top of the file itself. */
    private static final long MULTIPART_OVERHEAD = 64 * 1024;

    /** The multipart scanner's window: larger than its 4 KiB default so big uploads move in big reads. */
    private static final int MULTIPART_BUFFER = 64 * 1024;

    private final VideoStudio studio;

    AssetHttpService(VideoStudio studio) {
        this.studio = studio;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::upload)
                .get("/", this::list)
                .get("/{asset_id}", this::one)
                .delete("/{asset_id}", this::delete);
    }

    private void upload(ServerRequest req, ServerResponse res) {
        long limit = studio.config().uploadLimitBytes();
        var length = req.headers().contentLength();
        if (length.isPresent() && length.getAsLong() > limit + MULTIPART_OVERHEAD) {
            // refuse before reading a byte; the store also counts while streaming when the length is unknown
            throw new StudioException(Problem.TOO_LARGE, ErrorCode.TOO_LARGE,
                    "the upload is larger than the limit of " + limit + " bytes");
        }
        Asset asset;
        try {
            asset = readFilePart(req);
        } catch (StudioException e) {
            count(e.code(), 0);
            if (e.problem() == Problem.TOO_LARGE) {
                // the rest of the body is unwanted: close instead of reading it to keep the connection
                res.header(HeaderNames.CONNECTION, "close");
            }
            throw e;
        }
        count("accepted", asset.sizeBytes());
        res.header(HeaderNames.LOCATION, PATH + "/" + asset.assetId());
        Json.send(res, Status.CREATED_201, view(asset));
    }

    /** Prometheus {@code studio_uploads_total{result=...}} and {@code studio_upload_bytes_total} (accepted bytes). */
    private static void count(String result, long bytes) {
        Metrics.getOrCreate(Counter.builder("studio.uploads")
                .description("uploads by result: accepted or the error code")
                .tags(Metrics.tags("result", result))).increment();
        if (bytes > 0) {
            Metrics.getOrCreate(Counter.builder("studio.upload.bytes")
                    .description("bytes of accepted uploads")).increment(bytes);
        }
    }

    /** Walks the multipart body and ingests the first part named {@code file}. */
    private Asset readFilePart(ServerRequest req) {
        String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        Map<String, String> params = parameters(contentType);
        String boundary = params.get("boundary");
        if (!contentType.toLowerCase().startsWith("multipart/form-data") || boundary == null || boundary.isEmpty()) {
            throw new StudioException(Problem.MALFORMED, ErrorCode.MISSING_FILE,
                    "send the media as multipart/form-data with a part named 'file'");
        }
        // Not closed on failure on purpose: closing would read the rest of a refused upload to its end.
        InputStream body = req.content().inputStream();
        try {
            MultipartInput multipart = MultipartInput.builder()
                    .setInputStream(body)
                    .setBoundary(boundary.getBytes(StandardCharsets.ISO_8859_1))
                    .setBufferSize(MULTIPART_BUFFER)
                    .get();
            multipart.setHeaderCharset(StandardCharsets.UTF_8);
            boolean next = multipart.skipPreamble();
            while (next) {
                Map<String, String> disposition = partDisposition(multipart.readHeaders());
                if ("file".equals(disposition.get("name"))) {
                    InputStream part = multipart.newInputStream();
                    Asset asset = studio.assets().ingest(VideoStudio.DEFAULT_TENANT, Optional.ofNullable(disposition.get("filename")).orElse(""), part);
                    part.close();
                    body.close();
                    return asset;
                }
                multipart.discardBodyData();
                next = multipart.readBoundary();
            }
        } catch (MultipartInput.MalformedStreamException | MultipartInput.FileUploadBoundaryException e) {
            throw StudioException.malformed("the multipart body is malformed: " + e.getMessage());
        } catch (org.apache.commons.fileupload2.core.FileUploadException e) {
            throw StudioException.malformed("the multipart body is malformed: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new StudioException(Problem.MALFORMED, ErrorCode.MISSING_FILE, "the multipart body has no part named 'file'");
    }

    private static Map<String, String> partDisposition(String headers) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("content-disposition")) {
                return parameters(line.substring(colon + 1));
            }
        }
        return Map.of();
    }

    private static Map<String, String> parameters(String headerValue) {
        ParameterParser parser = new ParameterParser();
        parser.setLowerCaseNames(true);
        return parser.parse(headerValue, new char[] {';', ','});
    }

    private void list(ServerRequest req, ServerResponse res) {
        Json.ok(res, studio.assets().list(VideoStudio.DEFAULT_TENANT).stream().map(this::view).toList());
    }

    private void one(ServerRequest req, ServerResponse res) {
        Json.ok(res, view(find(req)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Asset asset = find(req);
        if (!studio.deleteAsset(asset.assetId())) {
            throw StudioException.notFound("asset", asset.assetId());
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private Asset find(ServerRequest req) {
        String id = MediaRoot.requireValidId(req.path().pathParameters().get("asset_id"), "asset");
        return studio.assets().find(id).orElseThrow(() -> StudioException.notFound("asset", id));
    }

    /** The asset as the contract shows it, with the waveform state of the moment. */
    private Asset view(Asset asset) {
        return MediaUrls.view(asset).withWaveformStatus(studio.waveforms().status(asset.assetId()));
    }
}
