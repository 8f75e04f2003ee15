import { useEffect, useRef, useState } from 'react';
import { formatTime, percent } from '../format';
import { attachLive, preloadLive, type LivePlayer } from '../live-preview';
import { useVideoStudioStore } from '../store';
import { timelineDuration } from '../timeline-model';

const FORMATS: [number, number, string][] = [
  [1280, 720, '1280×720 (16:9)'],
  [1920, 1080, '1920×1080 (16:9)'],
  [1080, 1920, '1080×1920 (9:16)'],
  [1080, 1080, '1080×1080 (1:1)'],
];

/**
 * Plays the timeline's proxy preview with its playhead bound to the timeline's. While a render
 * runs, its live stream plays as it grows (from the playhead; a seek past what is rendered asks the
 * server to render that part first), then the finished file takes over at the same moment. Without
 * a stream yet, the last ready render stays on screen with the state over it.
 */
export function FramePreview() {
  const proxy = useVideoStudioStore((s) => s.proxy);
  const playhead = useVideoStudioStore((s) => s.playhead);
  const setPlayhead = useVideoStudioStore((s) => s.setPlayhead);
  const requestProxyPreview = useVideoStudioStore((s) => s.requestProxyPreview);
  const cancelRender = useVideoStudioStore((s) => s.cancelRender);
  const timeline = useVideoStudioStore((s) => s.timeline);
  const video = useRef<HTMLVideoElement>(null);
  const [playing, setPlaying] = useState(false);
  const setFormat = useVideoStudioStore((s) => s.setFormat);
  const [media, setMedia] = useState<{ state: 'empty' | 'loading' | 'ready' | 'error'; duration: number | null; height?: number }>({
    state: 'empty',
    duration: null,
  });
  const duration = timelineDuration(timeline);
  const hasClips = duration > 0;
  const seekLiveStream = useVideoStudioStore((s) => s.seekLiveStream);
  const live = proxy.status === 'processing' ? (proxy.stream ?? null) : null;
  const offset = live ? live.start : 0; // the timeline second of the video's time 0
  const url = proxy.url;
  const source = live ? `live:${live.url}` : url ? `file:${url}` : null;
  const player = useRef<LivePlayer | null>(null);
  const playheadNow = useRef(playhead);
  playheadNow.current = playhead;
  const playingNow = useRef(playing);
  playingNow.current = playing;
  /** Play once the next source is loaded: a live stream as it appears, the final file if the stream played. */
  const resume = useRef(false);
  const resumeAfterSeek = useRef(false);

  // The video drives the playhead while it plays.
  useEffect(() => {
    const v = video.current;
    if (!v || !playing) return;
    let frame = 0;
    let last: number | null = null;
    const tick = () => {
      // a playhead moved by someone else (a ruler click) is left alone until the video got there
      const now = useVideoStudioStore.getState().playhead;
      const at = v.currentTime + offset;
      if (last === null || Math.abs(now - last) < 0.05 || Math.abs(at - now) < 0.3) {
        last = at;
        setPlayhead(at);
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, setPlayhead, offset]);

  // The playhead (ruler clicks, drags) drives the video otherwise.
  useEffect(() => {
    const v = video.current;
    if (!v || media.state !== 'ready') return;
    const target = playhead - offset;
    const p = player.current;
    if (live && p && (target < -0.01 || (target > p.listedSeconds() + 0.05 && !p.ended()))) {
      // not listed yet: the server renders that part first and names a stream that plays it; the
      // video waits (paused, so that it does not pull the playhead back) and goes on from there
      if (!v.paused) {
        resumeAfterSeek.current = true;
        v.pause();
      }
      void seekLiveStream(playhead);
      return;
    }
    const clamped = Math.max(0, Math.min(target, v.duration || target));
    if (Math.abs(v.currentTime - clamped) > (playing ? 0.25 : 0.02)) v.currentTime = clamped;
  }, [playhead, playing, media.state, offset, live, seekLiveStream]);

  // hls.js (the larger part of the page's code) is fetched and compiled while the editor settles,
  // so that a render's stream does not wait for it.
  useEffect(() => {
    const timer = setTimeout(preloadLive, 1000);
    return () => clearTimeout(timer);
  }, []);

  // A live stream plays through hls.js on its own video element (see the key below).
  useEffect(() => {
    const v = video.current;
    if (!v || !live) return;
    const p = attachLive(v, live.url, playheadNow.current - live.start);
    player.current = p;
    return () => {
      p.destroy();
      if (player.current === p) player.current = null;
    };
  }, [live?.url, live?.start]);

  // Backwards play (J): the browser's video plays forwards only, so the playhead steps back and the video follows.
  const [reverse, setReverse] = useState(0);
  useEffect(() => {
    if (!reverse) return;
    let frame = 0;
    let last = performance.now();
    const tick = (now: number) => {
      const { playhead: at, setPlayhead: seek } = useVideoStudioStore.getState();
      const next = at + ((now - last) / 1000) * reverse;
      last = now;
      seek(Math.max(0, next));
      if (next <= 0) setReverse(0);
      else frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [reverse]);

  // The keyboard (Space, J/K/L) and the Play button drive the video through these.
  const setPlayer = useVideoStudioStore((s) => s.setPlayer);
  const ready = media.state === 'ready';
  useEffect(() => {
    const v = video.current;
    if (!v || !ready) {
      setPlayer(null);
      return;
    }
    const pause = () => {
      setReverse(0);
      v.pause();
    };
    const play = (rate = 1) => {
      if (rate < 0) {
        v.pause();
        setReverse(rate);
        return;
      }
      setReverse(0);
      v.playbackRate = rate;
      // At (or past) the end, play starts again from the beginning, as players do.
      const end = v.duration || 0;
      const at = useVideoStudioStore.getState().playhead;
      if (v.ended || at >= end - 0.05) {
        setPlayhead(0);
        v.currentTime = 0;
      } else if (Math.abs(v.currentTime - at) > 0.02) v.currentTime = at;
      void v.play().catch(() => undefined);
    };
    const player = { play, pause, playing: () => !v.paused, toggle: () => (v.paused ? play(1) : pause()) };
    setPlayer(player);
    return () => setPlayer(null);
  }, [ready, proxy.url, setPlayer, setPlayhead]);

  // Decided while rendering, before the old video element is gone (its removal pauses it): a
  // render's first stream plays at once; the final file (or a seek's stream) goes on if the video played.
  const shownSource = useRef(source);
  if (shownSource.current !== source) {
    shownSource.current = source;
    resume.current = playingNow.current || resumeAfterSeek.current || (live !== null && live.start === 0);
    resumeAfterSeek.current = false;
  }
  useEffect(() => {
    setMedia({ state: source ? 'loading' : 'empty', duration: null });
    setPlaying(false);
  }, [source]); // eslint-disable-line react-hooks/exhaustive-deps -- only when the source changes

  const render = (force: boolean) => {
    preloadLive();
    requestProxyPreview({ force }).catch(() => undefined); // the store keeps the error for the page
  };

  const upToDate = proxy.status === 'ready';
  const busy = proxy.status === 'processing';
  return (
    <section className="panel preview" aria-label="Preview">
      <div className="panel-head">
        <h2>Preview</h2>
        <StatusBadge />
        <div className="spacer" />
        {busy && proxy.jobId && (
          <button className="btn small ghost" onClick={() => void cancelRender()} data-testid="cancel-render" title="Stop this render">
            Cancel
          </button>
        )}
        <button
          className="btn small ghost"
          onClick={() => render(true)}
          disabled={busy || !hasClips}
          title="Render again even if the timeline did not change"
        >
          Re-render
        </button>
        <button className="btn primary small" onClick={() => render(false)} disabled={busy || !hasClips} data-testid="render-preview">
          {busy ? 'Rendering…' : upToDate ? 'Preview is current' : 'Render preview'}
        </button>
      </div>
      <div className="screen">
        {source && (
          <video
            key={source}
            ref={video}
            src={live ? undefined : (url ?? undefined)}
            preload="auto"
            playsInline
            data-testid="preview-video"
            onLoadedMetadata={(e) => {
              const v = e.currentTarget;
              setMedia({ state: 'ready', duration: live ? null : v.duration, height: v.videoHeight });
              if (!live) v.currentTime = Math.min(playhead, v.duration || 0);
              if (resume.current) {
                resume.current = false;
                v.play().catch(() => undefined);
              }
            }}
            onWaiting={() => setMedia((m) => (m.state === 'ready' ? m : { ...m, state: 'loading' }))}
            onError={() => setMedia({ state: 'error', duration: null })}
            onPlay={() => setPlaying(true)}
            onPause={() => setPlaying(false)}
            onEnded={() => setPlaying(false)}
            onSeeked={(e) => {
              if (!playing) setPlayhead(e.currentTarget.currentTime + offset);
            }}
          />
        )}
        <ScreenMessage mediaState={media.state} hasClips={hasClips} />
        {busy && (url || live) && (
          <div className="render-strip" aria-hidden>
            <div style={{ width: percent(proxy.progress ?? 0) || '0%' }} />
          </div>
        )}
      </div>
      <div className="transport">
        <button
          className="btn icon play"
          aria-label={playing ? 'Pause' : 'Play'}
          disabled={media.state !== 'ready'}
          onClick={() => useVideoStudioStore.getState().player?.toggle()}
          data-testid="play"
        >
          {playing || reverse ? '❚❚' : '▶'}
        </button>
        <span className="tabular time" data-testid="preview-time">
          {formatTime(playhead, 2)} <span className="muted">/ {formatTime(hasClips ? duration : media.duration, 2)}</span>
        </span>
        <span className="spacer" />
        {media.height ? <span className="muted small-text">proxy {media.height}p</span> : null}
        <select
          className="format"
          aria-label="Timeline size"
          value={`${timeline.width}x${timeline.height}`}
          onChange={(e) => {
            const [width, height] = e.target.value.split('x').map(Number);
            setFormat({ width, height });
          }}
        >
          {FORMATS.map(([w, h, label]) => (
            <option key={`${w}x${h}`} value={`${w}x${h}`}>
              {label}
            </option>
          ))}
          {!FORMATS.some(([w, h]) => w === timeline.width && h === timeline.height) && (
            <option value={`${timeline.width}x${timeline.height}`}>
              {timeline.width}×{timeline.height}
            </option>
          )}
        </select>
        <select className="format" aria-label="Frame rate" value={timeline.fps} onChange={(e) => setFormat({ fps: Number(e.target.value) })}>
          {[...new Set([24, 25, 30, 50, 60, timeline.fps])].map((f) => (
            <option key={f} value={f}>
              {f} fps
            </option>
          ))}
        </select>
      </div>
    </section>
  );
}

function StatusBadge() {
  const proxy = useVideoStudioStore((s) => s.proxy);
  const text = {
    none: 'No preview',
    ready: 'Up to date',
    stale: 'Out of date',
    processing: `Rendering ${percent(proxy.progress ?? 0)}`,
    failed: 'Render failed',
  }[proxy.status];
  return (
    <span className={`badge ${proxy.status}`} data-testid="preview-status" data-status={proxy.status}>
      {text}
    </span>
  );
}

function ScreenMessage({ mediaState, hasClips }: { mediaState: string; hasClips: boolean }) {
  const proxy = useVideoStudioStore((s) => s.proxy);
  if (proxy.status === 'processing' && proxy.stream) {
    return (
      <div className="screen-msg corner" data-testid="live-message">
        <strong>Rendering… {percent(proxy.progress ?? 0)}</strong>
        <span className="faint">Playing the parts rendered so far.</span>
      </div>
    );
  }
  if (proxy.status === 'processing' && !proxy.url) {
    return (
      <div className="screen-msg">
        <div className="spinner" aria-hidden />
        <strong>Rendering the preview… {percent(proxy.progress ?? 0)}</strong>
        <div className="progress wide">
          <div style={{ width: percent(proxy.progress ?? 0) || '0%' }} />
        </div>
      </div>
    );
  }
  if (proxy.status === 'failed') {
    return (
      <div className={`screen-msg ${proxy.url ? 'corner' : ''} error`} role="alert">
        <strong>The preview could not be rendered</strong>
        <span>{proxy.error?.message}</span>
        {proxy.url && <span className="faint">Showing the previous render.</span>}
      </div>
    );
  }
  if (proxy.status === 'processing' && proxy.url) {
    return (
      <div className="screen-msg corner">
        <strong>Rendering a new preview… {percent(proxy.progress ?? 0)}</strong>
        <span className="faint">Showing the previous render until it is ready.</span>
      </div>
    );
  }
  if (proxy.status === 'stale' && proxy.url) {
    return (
      <div className="screen-msg corner">
        <strong>The timeline changed since this preview</strong>
        <span className="faint">Render preview to see the edit.</span>
      </div>
    );
  }
  if (!proxy.url) {
    return (
      <div className="screen-msg">
        <strong>{hasClips ? 'No preview yet' : 'Nothing to preview yet'}</strong>
        <span className="faint">{hasClips ? 'Press “Render preview” to render the timeline.' : 'Add clips to the timeline, then render a preview.'}</span>
      </div>
    );
  }
  if (mediaState === 'loading') {
    return (
      <div className="screen-msg corner">
        <strong>Loading video…</strong>
      </div>
    );
  }
  if (mediaState === 'error') {
    return (
      <div className="screen-msg error">
        <strong>The browser could not play this preview</strong>
        <span>Try “Re-render”.</span>
      </div>
    );
  }
  return null;
}
