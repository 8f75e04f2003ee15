package dev.videostudio.timeline;

import dev.videostudio.ErrorCode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.videostudio.StudioException;
import dev.videostudio.StudioJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Timeline files for tools: a timeline JSON (the body of {@code POST /api/generate/video/timeline})
 * or an OpenTimelineIO {@code .otio} file, told apart by the file name's extension.
 */
public final class TimelineFiles {

    private TimelineFiles() {
    }

    /**
     * Reads and checks a timeline file ({@code .otio}: OpenTimelineIO; anything else: timeline JSON).
     *
     * @throws StudioException 400 when the file is not JSON, 404 when it does not exist, 422 when
     *                         its content is not a valid timeline (with one detail per problem)
     */
    public static Timeline read(Path file, AssetLookup assets) {
        return load(file, assets).timeline();
    }

    /** Like {@link #read}, also returning the warnings of an OpenTimelineIO import. */
    public static Otio.Imported load(Path file, AssetLookup assets) {
        JsonNode tree = readTree(file);
        if (isOtio(file)) {
            return Otio.importTimeline(tree, assets);
        }
        return new Otio.Imported(TimelineJson.parse(tree, assets), List.of());
    }

    static boolean isOtio(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".otio");
    }

    private static JsonNode readTree(Path file) {
        try {
            return StudioJson.mapper().readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new StudioException(StudioException.Problem.NOT_FOUND, ErrorCode.NOT_FOUND, "no such file: " + file);
        } catch (JsonProcessingException e) {
            throw StudioException.malformed(file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
