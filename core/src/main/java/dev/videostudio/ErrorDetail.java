package dev.videostudio;

/**
 * One problem found in a request, naming where it is.
 *
 * @param path    JSON path of the offending value (for example {@code tracks[0].clips[2].out}), or empty
 * @param message what is wrong, for a person
 */
public record ErrorDetail(String path, String message) {
}
