import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode, type RefObject } from 'react';
import type { Asset, Clip, TrackKind } from '../api';
import { formatTime, percent } from '../format';
import { useVideoStudioStore } from '../store';
import { capture } from './pointer';
import { snapStart, snapTargets, toDb } from '../timeline-model';
import { columnsFor, displayGain, displayGainFor, drawColumns, localWaveform } from '../waveform';
import { columnsFromTiles, levelFor, peakOfTiles, tilesFor } from '../waveform-tiles';

const MAX_CANVAS_PX = 8192;
/** How close, in pixels, a dragged edge must come to another edge or the playhead to snap to it. */
const SNAP_PX = 8;

interface Props {
  clip: Clip;
  kind: TrackKind;
  asset: Asset | undefined;
  zoom: number;
  height: number;
  selected: boolean;
  problem: string | null;
  /** Timeline seconds under a pointer. */
  timeAt: (clientX: number) => number;
  /** The time a drag snapped to (a line is drawn there), or null. */
  onSnap: (time: number | null) => void;
}

/** The snapped value and where the line goes: the target a snapped start or end met. */
function snapped(raw: number, duration: number, targets: number[], threshold: number): { value: number; line: number | null } {
  const value = snapStart(raw, duration, targets, threshold);
  if (value === raw) return { value, line: null };
  return { value, line: targets.includes(value) ? value : value + duration };
}

export function ClipView({ clip, kind, asset, zoom, height, selected, problem, timeAt, onSnap }: Props) {
  const moveClip = useVideoStudioStore((s) => s.moveClip);
  const moveClips = useVideoStudioStore((s) => s.moveClips);
  const trimClip = useVideoStudioStore((s) => s.trimClip);
  const selectClip = useVideoStudioStore((s) => s.selectClip);
  const beginGesture = useVideoStudioStore((s) => s.beginGesture);
  const endGesture = useVideoStudioStore((s) => s.endGesture);
  const width = Math.max(2, (clip.out - clip.in) * zoom);

  const drag = (mode: 'move' | 'start' | 'end') => (e: ReactPointerEvent<HTMLElement>) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    e.preventDefault();
    if (mode === 'move' && (e.shiftKey || e.ctrlKey || e.metaKey)) {
      selectClip(clip.id, 'toggle');
      return;
    }
    const group = useVideoStudioStore.getState().selectedClipIds;
    const together = mode === 'move' && group.length > 1 && group.includes(clip.id) ? group : null;
    if (!together) selectClip(clip.id);
    beginGesture();
    const target = e.currentTarget;
    capture(target, e.pointerId);
    // Where the pointer holds the clip (or its edge), kept during the drag so nothing jumps.
    const grabbed = mode === 'end' ? clip.start + (clip.out - clip.in) : clip.start;
    const grabOffset = timeAt(e.clientX) - grabbed;
    const origin = clip.start;
    let moved = 0; // how far the selection has moved so far (it stays where it was when blocked)
    const onMove = (ev: PointerEvent) => {
      const { timeline, playhead } = useVideoStudioStore.getState();
      const except = together ?? [clip.id];
      const targets = snapTargets(timeline, clip.id, playhead).filter((t) => !except.some((id) => timeline.tracks.some((tr) => tr.clips.some((c) => c.id === id && (c.start === t || c.start + c.out - c.in === t)))));
      if (mode === 'move') {
        const snap = snapped(Math.max(0, timeAt(ev.clientX) - grabOffset), clip.out - clip.in, targets, SNAP_PX / zoom);
        onSnap(snap.line);
        if (together) {
          if (moveClips(together, snap.value - origin - moved)) moved = snap.value - origin;
          return;
        }
        const lane = document.elementFromPoint(ev.clientX, ev.clientY)?.closest<HTMLElement>('[data-track-id]');
        const trackId = lane && lane.dataset.trackKind === kind ? lane.dataset.trackId : undefined;
        moveClip(clip.id, snap.value, trackId);
      } else {
        const snap = snapped(timeAt(ev.clientX) - grabOffset, 0, targets, SNAP_PX / zoom);
        onSnap(snap.line);
        trimClip(clip.id, mode, snap.value);
      }
    };
    const onUp = () => {
      endGesture();
      onSnap(null);
      target.removeEventListener('pointermove', onMove);
      target.removeEventListener('pointerup', onUp);
      target.removeEventListener('pointercancel', onUp);
    };
    target.addEventListener('pointermove', onMove);
    target.addEventListener('pointerup', onUp);
    target.addEventListener('pointercancel', onUp);
  };

  const showWave = kind === 'audio' || asset?.kind === 'video';
  // frames along a video clip, unless the server has none for it (then the waveform takes the room)
  const thumbsFailed = useVideoStudioStore((s) => (asset ? s.thumbnails[asset.asset_id]?.status === 'failed' : true));
  const withThumbs = !!asset && asset.kind === 'video' && asset.has_video && !thumbsFailed;
  return (
    <div
      className={`clip ${kind} ${selected ? 'selected' : ''} ${problem ? 'invalid' : ''} ${clip.muted ? 'is-muted' : ''}`}
      style={{ left: clip.start * zoom, width }}
      data-testid="clip"
      data-clip-id={clip.id}
      title={problem ?? `${asset?.filename ?? clip.asset_id}: ${formatTime(clip.in, 2)}–${formatTime(clip.out, 2)} of the source`}
      onPointerDown={drag('move')}
    >
      <div className="clip-label">
        {clip.muted && (
          <span className="clip-tag muted-tag" data-testid="clip-muted" title="Muted">
            <SpeakerOff /> muted
          </span>
        )}
        <span className="clip-name">{asset?.filename ?? 'missing asset'}</span>
        {(clip.volume ?? 1) !== 1 && !clip.muted && (
          <span className="clip-tag" data-testid="clip-volume">
            {formatDb(clip.volume ?? 1)}
          </span>
        )}
        <span className="clip-dur">{formatTime(clip.out - clip.in, 1)}</span>
      </div>
      <Fades clip={clip} zoom={zoom} height={height} />
      {withThumbs && <ThumbnailStrip asset={asset!} clip={clip} zoom={zoom} width={width} height={THUMB_H} />}
      {showWave && asset ? (
        <ClipWaveform asset={asset} clip={clip} width={width} height={height - 22 - (withThumbs ? THUMB_H : 0)} />
      ) : (
        <div className="clip-fill" style={{ height: height - 22 }} />
      )}
      <div className="handle start" onPointerDown={drag('start')} aria-label="Trim start" />
      <div className="handle end" onPointerDown={drag('end')} aria-label="Trim end" />
    </div>
  );
}

/** Height of the strip of frames along a video clip, css px. */
const THUMB_H = 26;
/** At most this many frames drawn along one clip (a long clip zoomed in shows them further apart). */
const MAX_THUMBS = 300;

/** Frames of the source along a video clip: each slot shows the frame of the source time at its left edge. */
function ThumbnailStrip({ asset, clip, zoom, width, height }: { asset: Asset; clip: Clip; zoom: number; width: number; height: number }) {
  const entry = useVideoStudioStore((s) => s.thumbnails[asset.asset_id]);
  const ensure = useVideoStudioStore((s) => s.ensureThumbnails);
  useEffect(() => {
    if (!entry) void ensure(asset.asset_id);
  }, [entry, ensure, asset.asset_id]);
  if (entry?.status !== 'ready') return <div className="clip-thumbs" style={{ height }} data-testid="clip-thumbs" data-status={entry?.status ?? 'loading'} />;
  const scale = height / entry.height;
  const slot = Math.max(entry.width * scale, width / MAX_THUMBS);
  const count = Math.ceil(width / slot);
  return (
    <div className="clip-thumbs" style={{ height }} data-testid="clip-thumbs" data-status="ready">
      {Array.from({ length: count }, (_, k) => {
        const t = clip.in + (k * slot) / zoom;
        const frame = Math.min(entry.frames - 1, Math.max(0, Math.floor(t / entry.interval)));
        return (
          <span
            key={k}
            className="thumb-frame"
            style={{
              left: k * slot,
              width: entry.width * scale,
              backgroundImage: `url(${entry.url})`,
              backgroundSize: `${entry.frames * entry.width * scale}px ${height}px`,
              backgroundPosition: `${-frame * entry.width * scale}px 0`,
            }}
          />
        );
      })}
    </div>
  );
}

function formatDb(volume: number): string {
  const db = toDb(volume);
  return `${db > 0 ? '+' : db < 0 ? '−' : ''}${Math.abs(db).toFixed(1)} dB`;
}

/** A speaker with a cross, drawn (an emoji needs a font many systems lack). */
function SpeakerOff() {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden>
      <path d="M2 6h3l4-3v10L5 10H2z" fill="currentColor" />
      <path d="M11 5.5l4 5m0-5l-4 5" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}

/** Fade ramps over the clip's ends. */
function Fades({ clip, zoom, height }: { clip: Clip; zoom: number; height: number }) {
  const w = (clip.out - clip.in) * zoom;
  const fi = Math.min(w, (clip.fade_in ?? 0) * zoom);
  const fo = Math.min(w, (clip.fade_out ?? 0) * zoom);
  if (!fi && !fo) return null;
  return (
    <svg className="fades" width={w} height={height} aria-hidden data-testid="clip-fades">
      {fi > 0 && <path d={`M0 ${height} L${fi} 0 L0 0 Z`} />}
      {fo > 0 && <path d={`M${w} ${height} L${w - fo} 0 L${w} 0 Z`} />}
    </svg>
  );
}

/** The part of {@code box} (css px from its left edge) inside the timeline's scrolled view, or null when none is. */
function useVisibleRange(box: RefObject<HTMLDivElement | null>, deps: unknown[]): { x0: number; x1: number; current: boolean } | null {
  // the layout it was measured for: after a zoom the old range is stale until the next frame measures
  const layout = deps.join('|');
  const [range, setRange] = useState<{ x0: number; x1: number; layout: string } | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const scroller = el.closest<HTMLElement>('.timeline-scroll');
    let frame = 0;
    const measure = () => {
      frame = 0;
      const r = el.getBoundingClientRect();
      const v = scroller ? scroller.getBoundingClientRect() : { left: 0, right: window.innerWidth };
      const x0 = Math.floor(Math.max(0, v.left - r.left));
      const x1 = Math.ceil(Math.min(r.width, v.right - r.left));
      const next = x1 > x0 ? { x0, x1, layout } : null;
      setRange((prev) => (prev?.x0 === next?.x0 && prev?.x1 === next?.x1 && prev?.layout === next?.layout ? prev : next));
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(measure);
    };
    // measured at the next frame: the timeline may still scroll in this commit (zoom keeps the playhead in view)
    schedule();
    scroller?.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    return () => {
      if (frame) cancelAnimationFrame(frame);
      scroller?.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return range && { x0: range.x0, x1: range.x1, current: range.layout === layout };
}

function ClipWaveform({ asset, clip, width, height }: { asset: Asset; clip: Clip; width: number; height: number }) {
  const entry = useVideoStudioStore((s) => s.waveforms[asset.asset_id]);
  const tileCount = useVideoStudioStore((s) => s.waveformTiles[asset.asset_id] ?? 0);
  const ensureWaveform = useVideoStudioStore((s) => s.ensureWaveform);
  const retryWaveform = useVideoStudioStore((s) => s.retryWaveform);
  const setLocalWaveform = useVideoStudioStore((s) => s.setLocalWaveform);
  const loadWaveformTiles = useVideoStudioStore((s) => s.loadWaveformTiles);
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [localBusy, setLocalBusy] = useState(false);

  // What is drawn: the visible part of the clip plus half a view on each side, at the level of the zoom.
  const cssWidth = Math.max(1, Math.round(width));
  const visible = useVisibleRange(box, [cssWidth, clip.start, clip.in, clip.out]);
  const view = visible ?? { x0: 0, x1: Math.min(cssWidth, 1) };
  const margin = Math.round((view.x1 - view.x0) / 2);
  const wx0 = Math.max(0, view.x0 - margin);
  const wx1 = Math.min(cssWidth, view.x1 + margin);
  const pxPerSecond = cssWidth / Math.max(1e-9, clip.out - clip.in);
  const from = clip.in + wx0 / pxPerSecond;
  const to = clip.in + wx1 / pxPerSecond;
  const dpr = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
  const sampleRate = asset.sample_rate ?? 0;
  const level = sampleRate > 0 ? levelFor(sampleRate, pxPerSecond * dpr) : 0;
  const indexes = level ? tilesFor(level, sampleRate, from, to, asset.duration_s ?? to) : [];
  const indexKey = indexes.join(',');

  // Lazy: ask for the waveform only once the clip is on screen, with the first tile it shows.
  useEffect(() => {
    if (!asset.has_audio || entry) return;
    const el = box.current;
    if (!el) return;
    const observer = new IntersectionObserver((items) => {
      if (items.some((i) => i.isIntersecting)) {
        observer.disconnect();
        void ensureWaveform(asset.asset_id, level ? { level, index: indexes[0] ?? 0, sampleRate } : undefined);
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [asset.asset_id, asset.has_audio, entry, ensureWaveform]);

  const ready = entry?.status === 'ready' ? entry : null;
  const tiled = ready?.source === 'tiles';
  // Tiles of the span on screen (at this zoom's level), fetched once each.
  useEffect(() => {
    if (tiled && visible?.current && level) void loadWaveformTiles(asset.asset_id, level, indexKey.split(',').map(Number), sampleRate);
  }, [tiled, visible?.current, level, indexKey, sampleRate, asset.asset_id, loadWaveformTiles]);

  useEffect(() => {
    const c = canvas.current;
    if (!ready || !c) return;
    const pxW = Math.min(MAX_CANVAS_PX, Math.max(1, Math.round((wx1 - wx0) * dpr)));
    const pxH = Math.max(1, Math.round(height * dpr));
    c.width = pxW;
    c.height = pxH;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const columns = Math.max(1, Math.floor(pxW / Math.max(1, Math.round(dpr))));
    let cols;
    if (ready.waveform) {
      cols = columnsFor(ready.waveform, from, to, columns, displayGain(ready.waveform));
    } else {
      const { tileOf, tilesOf } = useVideoStudioStore.getState();
      const peak = peakOfTiles(tilesOf(asset.asset_id));
      const gain = displayGainFor(peak);
      cols = columnsFromTiles((l, i) => tileOf(asset.asset_id, l, i), sampleRate, level, from, to, columns, gain);
    }
    drawColumns(ctx, cols, pxW, pxH, 'rgba(214, 236, 255, 0.85)');
    // for tests and the benchmark: columns still waiting for a tile, and when this drawing was made
    c.dataset.missing = String('missing' in cols ? cols.missing : 0);
    if (c.dataset.missing === '0' && !c.dataset.completeAt) c.dataset.completeAt = String(performance.now());
  }, [ready, tileCount, from, to, wx0, wx1, dpr, level, sampleRate, height, asset.asset_id]);

  const status: string = !asset.has_audio ? 'no_audio' : (entry?.status ?? 'idle');
  let message: ReactNode = null;
  if (status === 'idle' || status === 'loading') message = <span className="wave-msg">Loading waveform…</span>;
  else if (entry?.status === 'processing') message = <span className="wave-msg">Computing waveform {percent(entry.progress)}</span>;
  else if (status === 'no_audio') message = <span className="wave-msg faint">No audio</span>;
  else if (entry?.status === 'failed') {
    message = (
      <span className="wave-msg error" title={entry.error.message}>
        <span>Waveform failed</span>
        <button
          className="btn tiny"
          onPointerDown={(e) => e.stopPropagation()}
          onClick={(e) => {
            e.stopPropagation();
            void retryWaveform(asset.asset_id, level ? { level, index: indexes[0] ?? 0, sampleRate } : undefined);
          }}
        >
          Retry
        </button>
        <button
          className="btn tiny ghost"
          disabled={localBusy}
          title="Compute the waveform in the browser from the file"
          onPointerDown={(e) => e.stopPropagation()}
          onClick={(e) => {
            e.stopPropagation();
            setLocalBusy(true);
            localWaveform(asset.url)
              .then((w) => setLocalWaveform(asset.asset_id, w))
              .catch((err: Error) => setLocalError(err.message))
              .finally(() => setLocalBusy(false));
          }}
        >
          {localBusy ? 'Reading…' : 'From file'}
        </button>
        {localError && <span className="faint">{localError}</span>}
      </span>
    );
  }
  return (
    <div className="clip-wave" ref={box} style={{ height }} data-testid="clip-waveform" data-waveform-status={status}>
      {ready && (
        <canvas
          ref={canvas}
          style={{ left: wx0, width: wx1 - wx0, height }}
          data-testid="waveform-canvas"
          data-level={ready.waveform ? undefined : level}
        />
      )}
      {message}
    </div>
  );
}
