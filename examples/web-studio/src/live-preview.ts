// Plays the live HLS stream of a running render (EVENT playlist, fMP4: VP9 + Opus) with hls.js,
// or with the browser's own HLS where it has no Media Source Extensions. hls.js is loaded apart
// (it is larger than the rest of the page): a second after the preview opens, or at a click on Render.
import type Hls from 'hls.js';

/** A stream attached to a video element. */
export interface LivePlayer {
  /** Seconds of the stream the playlist lists so far (its time 0 is the stream's start). */
  listedSeconds(): number;
  /** True once the playlist has ended: the whole render is listed. */
  ended(): boolean;
  destroy(): void;
}

/** Loads hls.js ahead (the preview opened, or a render is asked for), so the stream plays as soon as it exists. */
export function preloadLive(): void {
  void import('hls.js');
}

/**
 * Attaches the playlist at {@code url} to {@code video}, starting at {@code startAt} seconds of the
 * stream. hls.js reloads the growing playlist by itself; it starts at the given position rather
 * than at the live edge, as an editor wants to watch from the playhead.
 */
export function attachLive(video: HTMLVideoElement, url: string, startAt: number): LivePlayer {
  let listed = 0;
  let done = false;
  let destroyed = false;
  let hls: Hls | null = null;
  void import('hls.js').then(({ default: HlsJs }) => {
    if (destroyed) return;
    if (!HlsJs.isSupported()) {
      listed = Number.POSITIVE_INFINITY; // the browser's own HLS (Safari on iOS) follows the playlist itself
      video.src = url;
      return;
    }
    const player = new HlsJs({
      startPosition: Math.max(0, startAt),
      // segments exist before they are listed: no need to keep a distance from the end of the list
      liveSyncDurationCount: 1,
      liveDurationInfinity: false,
      backBufferLength: 30,
    });
    player.on(HlsJs.Events.LEVEL_UPDATED, (_event, data) => {
      listed = data.details.totalduration;
      done = !data.details.live;
    });
    player.on(HlsJs.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      if (data.type === HlsJs.ErrorTypes.MEDIA_ERROR) player.recoverMediaError();
      else player.startLoad();
    });
    player.loadSource(url);
    player.attachMedia(video);
    hls = player;
  });
  return {
    listedSeconds: () => listed,
    ended: () => done,
    destroy: () => {
      destroyed = true;
      hls?.destroy();
    },
  };
}
