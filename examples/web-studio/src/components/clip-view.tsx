import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import type { Asset, Clip, TrackKind } from '../api';
import { formatTime, percent } from '../format';
import { useVideoStudioStore } from '../store';
import { capture } from './pointer';
import { snapStart, snapTargets } from '../timeline-model';
import { columnsFor, displayGain, drawColumns, localWaveform } from '../waveform';

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

function ClipWaveform({ asset, clip, width, height }: { asset: Asset; clip: Clip; width: number; height: number }) {
  const entry = useVideoStudioStore((s) => s.waveforms[asset.asset_id]);
  const ensureWaveform = useVideoStudioStore((s) => s.ensureWaveform);
  const retryWaveform = useVideoStudioStore((s) => s.retryWaveform);
  const setLocalWaveform = useVideoStudioStore((s) => s.setLocalWaveform);
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const [localBusy, setLocalBusy] = useState(false);

  // Lazy: ask for the waveform only once the clip is on screen.
  useEffect(() => {
    if (!asset.has_audio || entry) return;
    const el = box.current;
    if (!el) return;
    const observer = new IntersectionObserver((items) => {
      if (items.some((i) => i.isIntersecting)) {
        observer.disconnect();
        void ensureWaveform(asset.asset_id);
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [asset.asset_id, asset.has_audio, entry, ensureWaveform]);

  const ready = entry?.status === 'ready' ? entry : null;
  const cssWidth = Math.max(1, Math.round(width));
  useEffect(() => {
    const c = canvas.current;
    if (!ready || !c) return;
    const dpr = window.devicePixelRatio || 1;
    const pxW = Math.min(MAX_CANVAS_PX, Math.round(cssWidth * dpr));
    const pxH = Math.max(1, Math.round(height * dpr));
    c.width = pxW;
    c.height = pxH;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const columns = Math.max(1, Math.floor(pxW / Math.max(1, Math.round(dpr))));
    const cols = columnsFor(ready.waveform, clip.in, clip.out, columns, displayGain(ready.waveform));
    drawColumns(ctx, cols, pxW, pxH, 'rgba(214, 236, 255, 0.85)');
  }, [ready, clip.in, clip.out, cssWidth, height]);

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
            void retryWaveform(asset.asset_id);
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
      {ready && <canvas ref={canvas} style={{ width: cssWidth, height }} data-testid="waveform-canvas" />}
      {message}
    </div>
  );
}
