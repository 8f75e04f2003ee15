import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import type { Track } from '../api';
import { formatTime } from '../format';
import { ZOOM_MAX, ZOOM_MIN, useVideoStudioStore } from '../store';
import { clipIdOfPath, findClip, timelineDuration } from '../timeline-model';
import { ASSET_DRAG_TYPE, dragging } from './asset-library';
import { ClipView } from './clip-view';
import { capture } from './pointer';

const HEAD_W = 112;
const TRACK_H = { video: 76, audio: 76 } as const;
const TICK_STEPS = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600];

export function TimelineView() {
  const timeline = useVideoStudioStore((s) => s.timeline);
  const assets = useVideoStudioStore((s) => s.assets);
  const zoom = useVideoStudioStore((s) => s.zoom);
  const setZoom = useVideoStudioStore((s) => s.setZoom);
  const playhead = useVideoStudioStore((s) => s.playhead);
  const setPlayhead = useVideoStudioStore((s) => s.setPlayhead);
  const selectedClipId = useVideoStudioStore((s) => s.selectedClipId);
  const selectClip = useVideoStudioStore((s) => s.selectClip);
  const removeClip = useVideoStudioStore((s) => s.removeClip);
  const setClipAudio = useVideoStudioStore((s) => s.setClipAudio);
  const addTrack = useVideoStudioStore((s) => s.addTrack);
  const renameTimeline = useVideoStudioStore((s) => s.renameTimeline);
  const addClip = useVideoStudioStore((s) => s.addClip);
  const save = useVideoStudioStore((s) => s.save);
  const scroller = useRef<HTMLDivElement>(null);
  const [viewWidth, setViewWidth] = useState(1000);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const duration = timelineDuration(timeline);
  const laneWidth = Math.max((duration + 20) * zoom, viewWidth - HEAD_W);
  const assetById = useMemo(() => new Map(assets.map((a) => [a.asset_id, a])), [assets]);
  const problems = useMemo(() => {
    const byClip = new Map<string, string>();
    for (const d of save.details) {
      const id = clipIdOfPath(timeline, d.path);
      if (id && !byClip.has(id)) byClip.set(id, d.message);
    }
    return byClip;
  }, [save.details, timeline]);
  const selected = selectedClipId ? findClip(timeline, selectedClipId) : null;

  /** Timeline seconds at a screen x (lanes start HEAD_W px into the scrolled grid). */
  const timeAt = useCallback(
    (clientX: number) => {
      const el = scroller.current;
      if (!el) return 0;
      const rect = el.getBoundingClientRect();
      return Math.max(0, (clientX - rect.left + el.scrollLeft - HEAD_W) / zoom);
    },
    [zoom],
  );

  // Delete / Backspace removes the selected clip (not while typing in a field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement)?.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA') return;
      if ((e.key === 'Delete' || e.key === 'Backspace') && selectedClipId) {
        e.preventDefault();
        removeClip(selectedClipId);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedClipId, removeClip]);

  // Ctrl/Cmd + wheel zooms around the pointer.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const t = timeAt(e.clientX);
      const next = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, zoom * Math.exp(-e.deltaY * 0.002)));
      setZoom(next);
      requestAnimationFrame(() => {
        el.scrollLeft += t * next - t * zoom;
      });
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoom, setZoom, timeAt]);

  // Keep the playhead in view while the preview plays.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const x = HEAD_W + playhead * zoom;
    if (x > el.scrollLeft + el.clientWidth - 24) el.scrollLeft = x - HEAD_W - 24;
    else if (x < el.scrollLeft + HEAD_W) el.scrollLeft = Math.max(0, x - HEAD_W - 24);
  }, [playhead, zoom]);

  const seekDrag = (e: ReactPointerEvent<HTMLElement>) => {
    if (e.button !== 0) return;
    const target = e.currentTarget;
    setPlayhead(timeAt(e.clientX));
    capture(target, e.pointerId);
    const onMove = (ev: PointerEvent) => setPlayhead(timeAt(ev.clientX));
    const onUp = () => {
      target.removeEventListener('pointermove', onMove);
      target.removeEventListener('pointerup', onUp);
    };
    target.addEventListener('pointermove', onMove);
    target.addEventListener('pointerup', onUp);
  };

  const zoomSlider = Math.log(zoom / ZOOM_MIN) / Math.log(ZOOM_MAX / ZOOM_MIN);
  const fit = () => setZoom((viewWidth - HEAD_W - 40) / Math.max(1, duration));

  return (
    <section className="panel timeline" aria-label="Timeline">
      <div className="timeline-toolbar">
        <input
          className="timeline-name"
          value={timeline.name}
          aria-label="Timeline name"
          onChange={(e) => renameTimeline(e.target.value)}
        />
        <span className="muted tabular" data-testid="timeline-duration">
          {formatTime(duration, 2)}
        </span>
        <div className="toolbar-group">
          <button className="btn small" onClick={() => addTrack('video')}>
            + Video track
          </button>
          <button className="btn small" onClick={() => addTrack('audio')}>
            + Audio track
          </button>
        </div>
        <div className="toolbar-group selection">
          {selected ? (
            <>
              <span className="muted">Clip:</span>
              <button className="btn small" onClick={() => setClipAudio(selected.clip.id, { muted: !selected.clip.muted })}>
                {selected.clip.muted ? 'Unmute' : 'Mute'}
              </button>
              <label className="volume">
                Vol
                <input
                  type="range"
                  min={0}
                  max={2}
                  step={0.05}
                  value={selected.clip.volume ?? 1}
                  onChange={(e) => setClipAudio(selected.clip.id, { volume: Number(e.target.value) })}
                  aria-label="Clip volume"
                />
              </label>
              <button className="btn small danger" onClick={() => removeClip(selected.clip.id)}>
                Remove
              </button>
            </>
          ) : (
            <span className="muted hint">Drag clips to move, drag their edges to trim</span>
          )}
        </div>
        <div className="toolbar-group zoom">
          <button className="btn small icon" onClick={() => setZoom(zoom / 1.5)} aria-label="Zoom out">
            −
          </button>
          <input
            type="range"
            min={0}
            max={1}
            step={0.001}
            value={zoomSlider}
            aria-label="Zoom"
            onChange={(e) => setZoom(ZOOM_MIN * Math.pow(ZOOM_MAX / ZOOM_MIN, Number(e.target.value)))}
          />
          <button className="btn small icon" onClick={() => setZoom(zoom * 1.5)} aria-label="Zoom in">
            +
          </button>
          <button className="btn small" onClick={fit} disabled={duration === 0}>
            Fit
          </button>
        </div>
      </div>
      {save.status === 'invalid' && (
        <div className="problems" role="alert">
          <strong>{save.error?.message ?? 'The timeline has problems'}</strong>
          {save.details.map((d, i) => (
            <span key={i}>
              {d.path ? <code>{d.path}</code> : null} {d.message}
            </span>
          ))}
        </div>
      )}
      <div className="timeline-scroll" ref={scroller}>
        <div className="timeline-grid" style={{ width: HEAD_W + laneWidth }}>
          <div className="ruler-row">
            <div className="track-head corner">
              <span className="tabular">{formatTime(playhead, 2)}</span>
            </div>
            <Ruler zoom={zoom} width={laneWidth} onPointerDown={seekDrag} />
          </div>
          {timeline.tracks.map((track, index) => (
            <TrackRow
              key={track.id}
              track={track}
              label={`${track.kind === 'video' ? 'V' : 'A'}${timeline.tracks.filter((t, i) => t.kind === track.kind && i <= index).length}`}
              width={laneWidth}
              onLanePointerDown={(e) => {
                selectClip(null);
                seekDrag(e);
              }}
              onDropAsset={(assetId, clientX) => addClip(assetId, { trackId: track.id, start: timeAt(clientX) })}
            >
              {track.clips.map((clip) => (
                <ClipView
                  key={clip.id}
                  clip={clip}
                  kind={track.kind}
                  asset={assetById.get(clip.asset_id)}
                  zoom={zoom}
                  height={TRACK_H[track.kind] - 8}
                  selected={clip.id === selectedClipId}
                  problem={problems.get(clip.id) ?? null}
                  timeAt={timeAt}
                />
              ))}
            </TrackRow>
          ))}
          <div className="playhead" style={{ left: HEAD_W + playhead * zoom }} data-testid="playhead" />
        </div>
        {duration === 0 && (
          <div className="timeline-empty muted">Add media with “+ Add” or drag it from the library onto a track.</div>
        )}
      </div>
    </section>
  );
}

function TrackRow(props: {
  track: Track;
  label: string;
  width: number;
  children: ReactNode;
  onLanePointerDown: (e: ReactPointerEvent<HTMLElement>) => void;
  onDropAsset: (assetId: string, clientX: number) => void;
}) {
  const { track, label, width } = props;
  const [over, setOver] = useState<'ok' | 'no' | null>(null);
  const accepts = () => {
    const a = dragging.asset;
    return !!a && (a.kind === 'audio' ? 'audio' : 'video') === track.kind;
  };
  return (
    <div className={`track-row ${track.kind}`} style={{ height: TRACK_H[track.kind] }}>
      <div className="track-head">
        <span className={`track-badge ${track.kind}`}>{label}</span>
        <span className="muted">{track.kind === 'video' ? 'Video' : 'Audio'}</span>
      </div>
      <div
        className={`lane ${over ? `drop-${over}` : ''}`}
        style={{ width }}
        data-track-id={track.id}
        data-track-kind={track.kind}
        data-testid={`lane-${track.id}`}
        onPointerDown={props.onLanePointerDown}
        onDragOver={(e) => {
          if (!Array.from(e.dataTransfer.types).includes(ASSET_DRAG_TYPE)) return;
          if (accepts()) {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
            setOver('ok');
          } else {
            setOver('no');
          }
        }}
        onDragLeave={() => setOver(null)}
        onDrop={(e) => {
          setOver(null);
          const id = e.dataTransfer.getData(ASSET_DRAG_TYPE);
          if (id && accepts()) {
            e.preventDefault();
            props.onDropAsset(id, e.clientX);
          }
        }}
      >
        {props.children}
      </div>
    </div>
  );
}

function Ruler({ zoom, width, onPointerDown }: { zoom: number; width: number; onPointerDown: (e: ReactPointerEvent<HTMLElement>) => void }) {
  const step = TICK_STEPS.find((s) => s * zoom >= 80) ?? TICK_STEPS[TICK_STEPS.length - 1];
  const count = Math.ceil(width / (step * zoom));
  const minor = (step * zoom) / 5;
  return (
    <div
      className="ruler"
      style={{ width, backgroundSize: `${minor}px 100%` }}
      onPointerDown={onPointerDown}
      data-testid="ruler"
    >
      {Array.from({ length: count }, (_, i) => (
        <span key={i} className="tick" style={{ left: i * step * zoom }}>
          {formatTime(i * step, step < 1 ? 1 : 0)}
        </span>
      ))}
    </div>
  );
}
