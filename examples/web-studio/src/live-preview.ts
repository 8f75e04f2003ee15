// Plays the live HLS stream of a running render (EVENT playlist, fMP4: VP9 + Opus) with hls.js,
// or with the browser's own HLS where it has one and no Media Source Extensions.
import Hls from 'hls.js';

/** A stream attached to a video element. */
export interface LivePlayer {
  /** Seconds of the stream the playlist lists so far (its time 0 is the stream's start). */
  listedSeconds(): number;
  /** True once the playlist has ended: the whole render is listed. */
  ended(): boolean;
  destroy(): void;
}

/**
 * Attaches the playlist at {@code url} to {@code video}, starting at {@code startAt} seconds of the
 * stream. hls.js reloads the growing playlist by itself; it starts at the given position rather
 * than at the live edge, as an editor wants to watch from the playhead.
 */
export function attachLive(video: HTMLVideoElement, url: string, startAt: number): LivePlayer {
  let listed = 0;
  let done = false;
  if (!Hls.isSupported()) {
    video.src = url; // Safari on iOS: native HLS
    return { listedSeconds: () => Number.POSITIVE_INFINITY, ended: () => false, destroy: () => video.removeAttribute('src') };
  }
  const hls = new Hls({
    startPosition: Math.max(0, startAt),
    // the segments are short and exist before they are listed: no need to keep a distance from the end
    liveSyncDurationCount: 1,
    liveDurationInfinity: false,
    backBufferLength: 30,
  });
  hls.on(Hls.Events.LEVEL_UPDATED, (_event, data) => {
    listed = data.details.totalduration;
    done = !data.details.live;
  });
  hls.on(Hls.Events.ERROR, (_event, data) => {
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
    else hls.startLoad();
  });
  hls.loadSource(url);
  hls.attachMedia(video);
  return { listedSeconds: () => listed, ended: () => done, destroy: () => hls.destroy() };
}
