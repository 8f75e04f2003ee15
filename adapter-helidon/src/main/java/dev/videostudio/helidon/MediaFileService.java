package dev.videostudio.helidon;

import dev.videostudio.ErrorCode;
import dev.videostudio.ErrorInfo;
import dev.videostudio.MediaRoot;
import dev.videostudio.StudioException;
import dev.videostudio.VideoStudio;
import dev.videostudio.StudioException.Problem;
import dev.videostudio.ffmpeg.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /media/...}: the public files of the media root (uploads, waveforms, proxies) with
 * Range (206/416), ETag/If-None-Match (304) and a Content-Type from the extension. Only the
 * folders listed in {@link #PUBLIC_FOLDERS} are served, one level deep, no hidden or temporary
 * files, no asset metadata, and never through a symbolic link.
 */
final class MediaFileService implements HttpService {

    static final String PATH = "/media";
    /** Folders a browser may read; jobs, timelines, tmp and the render caches stay private. */
    static final Set<String> PUBLIC_FOLDERS = Set.of("video_assets", "waveforms", "video_proxies");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final int CHUNK = 64 * 1024;

    private final MediaRoot root;
    private final VideoStudio studio;
    private final MediaUrls links;

    MediaFileService(MediaRoot root) {
        this.root = root;
        this.studio = null;
        this.links = null;
    }

    /**
     * Serves the studio's media root and checks that a signed URL's tenant owns the file; with
     * auth on, live stream playlists are served with their segment names signed ({@code links}).
     */
    MediaFileService(VideoStudio studio, MediaUrls links) {
        this.root = studio.mediaRoot();
        this.studio = studio;
        this.links = links;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/*", this::serve).head("/*", this::serve);
    }

    private void serve(ServerRequest req, ServerResponse res) {
        // the request line as sent: Helidon has not decoded or normalised it
        Path file = resolve(req.prologue().uriPath().rawPath());
        requireOwner(req, file);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw notFound();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!attrs.isRegularFile()) {
            throw notFound();
        }
        Caller caller = req.context().get(Caller.class).orElse(null);
        if (links != null && links.signs() && caller != null && file.getFileName().toString().endsWith(".m3u8")) {
            sendSignedPlaylist(req, res, file, caller.tenant());
            return;
        }
        long size = attrs.size();
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(attrs.lastModifiedTime().toMillis()) + "\"";
        res.header(HeaderNames.ETAG, etag)
                .header(HeaderNames.ACCEPT_RANGES, "bytes")
                .header(HeaderNames.CACHE_CONTROL, "no-cache");
        if (matches(req.headers().first(HeaderNames.IF_NONE_MATCH).orElse(null), etag)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        long start = 0;
        long end = size - 1;
        Status status = Status.OK_200;
        String range = req.headers().first(HeaderNames.RANGE).orElse(null);
        String ifRange = req.headers().first(HeaderNames.IF_RANGE).orElse(null);
        if (range != null && (ifRange == null || ifRange.equals(etag))) {
            long[] r = parseRange(range, size);
            if (r == null) {
                res.header(HeaderNames.CONTENT_RANGE, "bytes */" + size);
                ErrorResponses.send(res, Status.REQUESTED_RANGE_NOT_SATISFIABLE_416.code(), ErrorInfo.of(
                        "range_not_satisfiable", "the range '" + range + "' is outside the file of " + size + " bytes"));
                return;
            }
            if (r.length == 2) {
                start = r[0];
                end = r[1];
                status = Status.PARTIAL_CONTENT_206;
                res.header(HeaderNames.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + size);
            }
        }
        res.status(status)
                .header(HeaderNames.CONTENT_TYPE, MediaTypes.forFileName(file.getFileName().toString()))
                .header(HeaderNames.CONTENT_LENGTH, String.valueOf(end - start + 1));
        if (req.prologue().method() == Method.HEAD) {
            res.send();
            return;
        }
        send(file, start, end - start + 1, res);
    }

    /** A live playlist whose segment names carry the signature of the URL it was asked with. */
    private void sendSignedPlaylist(ServerRequest req, ServerResponse res, Path file, String tenant) {
        String playlist;
        try {
            playlist = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String folderUrl = PATH + "/" + file.getParent().getFileName() + "/";
        res.header(HeaderNames.CACHE_CONTROL, "no-cache")
                .header(HeaderNames.CONTENT_TYPE, MediaTypes.forFileName(file.getFileName().toString()));
        if (req.prologue().method() == Method.HEAD) {
            res.send();
            return;
        }
        res.send(links.signPlaylist(playlist, folderUrl, tenant).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void send(Path file, long start, long length, ServerResponse res) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             OutputStream out = res.outputStream()) {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            long pos = start;
            long left = length;
            while (left > 0) {
                buf.clear().limit((int) Math.min(CHUNK, left));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    break; // the file shrank while we sent it; the client sees a short body
                }
                out.write(buf.array(), 0, n);
                pos += n;
                left -= n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The file a request path names, checked before touching the file system: exactly
     * {@code /media/{public folder}/{plain name}}, no encoded characters, no dot segments, no
     * hidden files, and no symbolic link on the way.
     */
    Path resolve(String rawPath) {
        String rest = rawPath.startsWith(PATH + "/") ? rawPath.substring(PATH.length() + 1) : "";
        if (rest.contains("%") || rest.contains("\\") || rest.contains("..")) {
            throw new StudioException(Problem.MALFORMED, "invalid_path",
                    "media paths are plain folder/file names: no encoded characters, '..' or backslashes");
        }
        String[] parts = rest.split("/", -1);
        if (parts.length != 2 || !PUBLIC_FOLDERS.contains(parts[0]) || !NAME.matcher(parts[1]).matches()) {
            throw notFound();
        }
        if (parts[0].equals("video_assets") && parts[1].toLowerCase(Locale.ROOT).endsWith(".json")) {
            throw notFound(); // asset metadata is served through the API, not as a file
        }
        Path folder = root.root().resolve(parts[0]);
        Path file = folder.resolve(parts[1]).normalize();
        if (!file.getParent().equals(folder) || Files.isSymbolicLink(folder) || Files.isSymbolicLink(file)) {
            throw notFound();
        }
        return file;
    }

    /**
     * With auth on the filter leaves the signed URL's tenant as the caller: the file must be one of
     * that tenant's (defence in depth behind the signature). Every public file name starts with the
     * id of its asset or timeline.
     */
    private void requireOwner(ServerRequest req, Path file) {
        Caller caller = req.context().get(Caller.class).orElse(null);
        if (studio == null || caller == null || caller.role() == Role.ADMIN) {
            return;
        }
        String name = file.getFileName().toString();
        String id = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        String folder = file.getParent().getFileName().toString();
        java.util.Optional<String> owner = folder.equals("video_proxies")
                ? studio.timelines().find(id).map(dev.videostudio.timeline.Timeline::tenant)
                : studio.assets().find(id).map(dev.videostudio.asset.Asset::tenant);
        if (owner.isEmpty() || !caller.sees(owner.get())) {
            throw notFound();
        }
    }

    /** {@code [start, end]} for one satisfiable range, {@code []} to ignore the header, null when unsatisfiable. */
    static long[] parseRange(String header, long size) {
        Matcher m = RANGE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return new long[0]; // several ranges or another unit: answer with the whole file
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    return null;
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long start = Long.parseLong(m.group(1));
            long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (start >= size || end < start) {
                return null;
            }
            return new long[] {start, end};
        } catch (NumberFormatException e) {
            return null; // a number too large for a long is beyond any file
        }
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static StudioException notFound() {
        return new StudioException(Problem.NOT_FOUND, ErrorCode.NOT_FOUND, "no such media file");
    }
}
