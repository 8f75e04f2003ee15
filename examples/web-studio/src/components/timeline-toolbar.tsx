// The timeline's toolbar (name, length, undo/redo, split, tracks, zoom) and its ruler.
import type { PointerEvent as ReactPointerEvent } from 'react';
import { formatTime } from '../format';
import { ZOOM_MAX, ZOOM_MIN, useVideoStudioStore } from '../store';

const TICK_STEPS = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];

export function Toolbar(props: { duration: number; zoom: number; zoomSlider: number; zoomTo: (z: number) => void; fit: () => void }) {
  const { duration, zoom, zoomTo } = props;
  const name = useVideoStudioStore((s) => s.timeline.name);
  const renameTimeline = useVideoStudioStore((s) => s.renameTimeline);
  const addTrack = useVideoStudioStore((s) => s.addTrack);
  const canUndo = useVideoStudioStore((s) => s.history.past.length > 0);
  const canRedo = useVideoStudioStore((s) => s.history.future.length > 0);
  const undo = useVideoStudioStore((s) => s.undo);
  const redo = useVideoStudioStore((s) => s.redo);
  const split = useVideoStudioStore((s) => s.splitAtPlayhead);
  return (
    <div className="timeline-toolbar">
      <input className="timeline-name" value={name} aria-label="Timeline name" onChange={(e) => renameTimeline(e.target.value)} />
      <span className="muted tabular" data-testid="timeline-duration">
        {formatTime(duration, 2)}
      </span>
      <div className="toolbar-group">
        <button className="btn small icon" onClick={undo} disabled={!canUndo} title="Undo (Ctrl+Z)" aria-label="Undo">
          ↶
        </button>
        <button className="btn small icon" onClick={redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">
          ↷
        </button>
        <button className="btn small" onClick={split} disabled={duration === 0} title="Split at the playhead (S)">
          Split
        </button>
      </div>
      <div className="toolbar-group">
        <button className="btn small" onClick={() => addTrack('video')}>
          + Video track
        </button>
        <button className="btn small" onClick={() => addTrack('audio')}>
          + Audio track
        </button>
      </div>
      <span className="spacer" />
      <div className="toolbar-group zoom">
        <button className="btn small icon" onClick={() => zoomTo(zoom / 1.5)} aria-label="Zoom out">
          −
        </button>
        <input
          type="range"
          min={0}
          max={1}
          step={0.001}
          value={props.zoomSlider}
          aria-label="Zoom"
          onChange={(e) => zoomTo(ZOOM_MIN * Math.pow(ZOOM_MAX / ZOOM_MIN, Number(e.target.value)))}
        />
        <button className="btn small icon" onClick={() => zoomTo(zoom * 1.5)} aria-label="Zoom in">
          +
        </button>
        <button className="btn small" onClick={props.fit} disabled={duration === 0}>
          Fit
        </button>
      </div>
    </div>
  );
}

export function Ruler({ zoom, width, onPointerDown }: { zoom: number; width: number; onPointerDown: (e: ReactPointerEvent<HTMLElement>) => void }) {
  const step = TICK_STEPS.find((s) => s * zoom >= 80) ?? TICK_STEPS[TICK_STEPS.length - 1];
  const count = Math.ceil(width / (step * zoom));
  const minor = (step * zoom) / 5;
  return (
    <div className="ruler" style={{ width, backgroundSize: `${minor}px 100%` }} onPointerDown={onPointerDown} data-testid="ruler">
      {Array.from({ length: count }, (_, i) => (
        <span key={i} className="tick" style={{ left: i * step * zoom }}>
          {formatTime(i * step, step < 1 ? 1 : 0)}
        </span>
      ))}
    </div>
  );
}
