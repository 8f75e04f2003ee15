import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode, type RefObject } from 'react';
import type { Asset, Clip, TrackKind } from '../api';
import { formatTime, percent } from '../format';
import { useVideoStudioStore } from '../store';
import { capture } from './pointer';
import { snapStart, snapTargets } from '../timeline-model';
import { columnsFor, displayGain, drawColumns, localWaveform } from '../waveform';
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
}

export function ClipView({ clip, kind, asset, zoom, height, selected, problem, timeAt }: Props) {
  const moveClip = useVideoStudioStore((s) => s.moveClip);
  const trimClip = useVideoStudioStore((s) => s.trimClip);
  const selectClip = useVideoStudioStore((s) => s.selectClip);
  const width = Math.max(2, (clip.out - clip.in) * zoom);

  const drag = (mode: 'move' | 'start' | 'end') => (e: ReactPointerEvent<HTMLElement>) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    e.preventDefault();
    selectClip(clip.id);
    const target = e.currentTarget;
    capture(target, e.pointerId);
    // Where the pointer holds the clip (or its edge), kept during the drag so nothing jumps.
    const grabbed = mode === 'end' ? clip.start + (clip.out - clip.in) : clip.start;
    const grabOffset = timeAt(e.clientX) - grabbed;
    const onMove = (ev: PointerEvent) => {
      if (mode === 'move') {
        const lane = document.elementFromPoint(ev.clientX, ev.clientY)?.closest<HTMLElement>('[data-track-id]');
        const trackId = lane && lane.dataset.trackKind === kind ? lane.dataset.trackId : undefined;
        const { timeline, playhead } = useVideoStudioStore.getState();
        const targets = snapTargets(timeline, clip.id, playhead);
        const start = snapStart(Math.max(0, timeAt(ev.clientX) - grabOffset), clip.out - clip.in, targets, SNAP_PX / zoom);
        moveClip(clip.id, start, trackId);
      } else {
        const { timeline, playhead } = useVideoStudioStore.getState();
        const time = snapStart(timeAt(ev.clientX) - grabOffset, 0, snapTargets(timeline, clip.id, playhead), SNAP_PX / zoom);
        trimClip(clip.id, mode, time);
      }
    };
    const onUp = () => {
      target.removeEventListener('pointermove', onMove);
      target.removeEventListener('pointerup', onUp);
      target.removeEventListener('pointercancel', onUp);
    };
    target.addEventListener('pointermove', onMove);
    target.addEventListener('pointerup', onUp);
    target.addEventListener('pointercancel', onUp);
  };

  const showWave = kind === 'audio' || asset?.kind === 'video';
  return (
    <div
      className={`clip ${kind} ${selected ? 'selected' : ''} ${problem ? 'invalid' : ''}`}
      style={{ left: clip.start * zoom, width }}
      data-testid="clip"
      data-clip-id={clip.id}
      title={problem ?? `${asset?.filename ?? clip.asset_id}: ${formatTime(clip.in, 2)}–${formatTime(clip.out, 2)} of the source`}
      onPointerDown={drag('move')}
    >
      <div className="clip-label">
        <span className="clip-name">
          {clip.muted ? '🔇 ' : ''}
          {asset?.filename ?? 'missing asset'}
        </span>
        <span className="clip-dur">{formatTime(clip.out - clip.in, 1)}</span>
      </div>
      {showWave && asset ? (
        <ClipWaveform asset={asset} clip={clip} width={width} height={height - 22} />
      ) : (
        <div className="clip-fill" style={{ height: height - 22 }} />
      )}
      <div className="handle start" onPointerDown={drag('start')} aria-label="Trim start" />
      <div className="handle end" onPointerDown={drag('end')} aria-label="Trim end" />
    </div>
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
      const gain = peak > 0 ? Math.min(8, Math.max(1, 0.9 / peak)) : 1;
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
