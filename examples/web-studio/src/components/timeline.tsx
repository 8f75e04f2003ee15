import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Track, TrackKind } from '../api';
import { formatTime } from '../format';
import { ZOOM_MAX, ZOOM_MIN, useVideoStudioStore } from '../store';
import { clipIdOfPath, dropPlacement, timelineDuration } from '../timeline-model';
import { dragging } from './asset-library';
import { ClipView } from './clip-view';
import { Inspector } from './inspector';
import { Ruler, Toolbar } from './timeline-toolbar';
import { TRACK_H, TrackRow, type Ghost } from './track-row';
import { capture } from './pointer';

const HEAD_W = 150;
/** Pointer travel (px) that turns a press on an empty lane into a box selection. */
const BOX_PX = 4;


export function TimelineView() {
  const timeline = useVideoStudioStore((s) => s.timeline);
  const assets = useVideoStudioStore((s) => s.assets);
  const zoom = useVideoStudioStore((s) => s.zoom);
  const setZoom = useVideoStudioStore((s) => s.setZoom);
  const playhead = useVideoStudioStore((s) => s.playhead);
  const setPlayhead = useVideoStudioStore((s) => s.setPlayhead);
  const selectedIds = useVideoStudioStore((s) => s.selectedClipIds);
  const selectClip = useVideoStudioStore((s) => s.selectClip);
  const selectClips = useVideoStudioStore((s) => s.selectClips);
  const addClip = useVideoStudioStore((s) => s.addClip);
  const save = useVideoStudioStore((s) => s.save);
  const scroller = useRef<HTMLDivElement>(null);
  const [viewWidth, setViewWidth] = useState(1000);
  const [ghost, setGhost] = useState<Ghost | null>(null);
  const [snapAt, setSnapAt] = useState<number | null>(null);
  const [box, setBox] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  // The time kept at the same place on screen across a zoom change (the playhead when it shows).
  const zoomAnchor = useRef<{ time: number; screenX: number } | null>(null);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setViewWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const duration = timelineDuration(timeline);
  const laneWidth = Math.max((duration + 20) * zoom, duration * zoom + 200, viewWidth - HEAD_W);
  const assetById = useMemo(() => new Map(assets.map((a) => [a.asset_id, a])), [assets]);
  const problems = useMemo(() => {
    const byClip = new Map<string, string>();
    for (const d of save.details) {
      const id = clipIdOfPath(timeline, d.path);
      if (id && !byClip.has(id)) byClip.set(id, d.message);
    }
    return byClip;
  }, [save.details, timeline]);
  const selected = useMemo(() => new Set(selectedIds), [selectedIds]);

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

  /** Zooms keeping the playhead where it is on screen (or the middle of the view when it is off screen). */
  const zoomTo = useCallback(
    (next: number, around?: number) => {
      const el = scroller.current;
      const z = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, next));
      if (el) {
        const { playhead: at } = useVideoStudioStore.getState();
        const x = HEAD_W + at * zoom - el.scrollLeft;
        const visible = x >= HEAD_W && x <= el.clientWidth;
        const time = around ?? (visible ? at : (el.scrollLeft + (el.clientWidth + HEAD_W) / 2 - HEAD_W) / zoom);
        zoomAnchor.current = { time, screenX: HEAD_W + time * zoom - el.scrollLeft };
      }
      setZoom(z);
    },
    [zoom, setZoom],
  );

  useLayoutEffect(() => {
    const el = scroller.current;
    const anchor = zoomAnchor.current;
    if (!el || !anchor) return;
    zoomAnchor.current = null;
    el.scrollLeft = Math.max(0, HEAD_W + anchor.time * zoom - anchor.screenX);
  }, [zoom]);

  // Ctrl/Cmd + wheel zooms around the pointer.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      zoomTo(zoom * Math.exp(-e.deltaY * 0.002), timeAt(e.clientX));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoom, zoomTo, timeAt]);

  // Keep the playhead in view while it moves (playing, frame steps).
  useEffect(() => {
    const el = scroller.current;
    if (!el || zoomAnchor.current) return;
    const x = HEAD_W + playhead * zoom;
    if (x > el.scrollLeft + el.clientWidth - 24) el.scrollLeft = x - HEAD_W - 24;
    else if (x < el.scrollLeft + HEAD_W) el.scrollLeft = Math.max(0, x - HEAD_W - 24);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playhead]);

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

  /** A press on an empty lane: a click seeks (and deselects); a drag draws a box that selects the clips it touches. */
  const lanePress = (e: ReactPointerEvent<HTMLElement>) => {
    if (e.button !== 0) return;
    const grid = e.currentTarget.closest<HTMLElement>('.timeline-grid');
    if (!grid) return;
    const target = e.currentTarget;
    capture(target, e.pointerId);
    const additive = e.shiftKey || e.ctrlKey || e.metaKey;
    const origin = { x: e.clientX, y: e.clientY };
    let boxing = false;
    const rectOf = (ev: { clientX: number; clientY: number }) => {
      const g = grid.getBoundingClientRect();
      return { x0: Math.min(origin.x, ev.clientX) - g.left, x1: Math.max(origin.x, ev.clientX) - g.left, y0: Math.min(origin.y, ev.clientY) - g.top, y1: Math.max(origin.y, ev.clientY) - g.top };
    };
    const onMove = (ev: PointerEvent) => {
      if (!boxing && Math.hypot(ev.clientX - origin.x, ev.clientY - origin.y) < BOX_PX) return;
      boxing = true;
      setBox(rectOf(ev));
    };
    const onUp = (ev: PointerEvent) => {
      target.removeEventListener('pointermove', onMove);
      target.removeEventListener('pointerup', onUp);
      setBox(null);
      if (!boxing) {
        if (!additive) selectClip(null);
        setPlayhead(timeAt(ev.clientX));
        return;
      }
      const r = rectOf(ev);
      const g = grid.getBoundingClientRect();
      const hits = [...grid.querySelectorAll<HTMLElement>('[data-clip-id]')].filter((c) => {
        const b = c.getBoundingClientRect();
        return b.right - g.left > r.x0 && b.left - g.left < r.x1 && b.bottom - g.top > r.y0 && b.top - g.top < r.y1;
      });
      selectClips(hits.map((c) => c.dataset.clipId!), additive ? 'add' : 'replace');
    };
    target.addEventListener('pointermove', onMove);
    target.addEventListener('pointerup', onUp);
  };

  const fit = () => {
    zoomAnchor.current = { time: 0, screenX: HEAD_W };
    setZoom((viewWidth - HEAD_W - 40) / Math.max(1, duration));
  };
  const zoomSlider = Math.log(zoom / ZOOM_MIN) / Math.log(ZOOM_MAX / ZOOM_MIN);

  const onDragOverLane = (track: Track, clientX: number): boolean => {
    const a = dragging.asset;
    if (!a || (a.kind === 'audio' ? 'audio' : 'video') !== track.kind) return false;
    const length = a.kind === 'image' ? 5 : (a.duration_s ?? 5);
    const place = dropPlacement(timeline, track.id, length, timeAt(clientX));
    setGhost((g) => (g && g.trackId === place.trackId && g.start === place.start && g.kind === track.kind ? g : { ...place, kind: track.kind, duration: length }));
    return true;
  };

  const ghostRow = (kind: TrackKind) =>
    ghost && ghost.trackId === null && ghost.kind === kind ? (
      <div className={`track-row ${kind} ghost-row`} style={{ height: TRACK_H[kind] }}>
        <div className="track-head muted">New track</div>
        <div className="lane" style={{ width: laneWidth }}>
          <div className="drop-ghost" data-testid="drop-ghost" style={{ left: ghost.start * zoom, width: ghost.duration * zoom }} />
        </div>
      </div>
    ) : null;

  return (
    <section className="panel timeline" aria-label="Timeline" onDragLeave={(e) => !e.currentTarget.contains(e.relatedTarget as Node) && setGhost(null)} onDrop={() => setGhost(null)}>
      <Toolbar duration={duration} zoom={zoom} zoomSlider={zoomSlider} zoomTo={zoomTo} fit={fit} />
      <Inspector assets={assetById} />
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
              <span className="tabular" data-testid="ruler-time">{formatTime(playhead, 2)}</span>
            </div>
            <Ruler zoom={zoom} width={laneWidth} onPointerDown={seekDrag} />
          </div>
          {timeline.tracks.map((track, index) => (
            <Fragment key={track.id}>
              <TrackRow
                track={track}
                index={index}
                label={`${track.kind === 'video' ? 'V' : 'A'}${timeline.tracks.filter((t, i) => t.kind === track.kind && i <= index).length}`}
                width={laneWidth}
                onLanePointerDown={lanePress}
                onDragOverLane={(clientX) => onDragOverLane(track, clientX)}
                onDropAsset={(assetId, clientX) => {
                  setGhost(null);
                  addClip(assetId, { trackId: track.id, start: timeAt(clientX), drop: true });
                }}
                ghost={ghost && ghost.trackId === track.id ? ghost : null}
                zoom={zoom}
              >
                {track.clips.map((clip) => (
                  <ClipView
                    key={clip.id}
                    clip={clip}
                    kind={track.kind}
                    asset={assetById.get(clip.asset_id)}
                    zoom={zoom}
                    height={TRACK_H[track.kind] - 8}
                    selected={selected.has(clip.id)}
                    problem={problems.get(clip.id) ?? null}
                    timeAt={timeAt}
                    onSnap={setSnapAt}
                  />
                ))}
              </TrackRow>
              {track.kind === 'video' && timeline.tracks.filter((t, i) => t.kind === 'video' && i > index).length === 0 && ghostRow('video')}
            </Fragment>
          ))}
          {ghostRow('audio')}
          <div className="playhead" style={{ left: HEAD_W + playhead * zoom }} data-testid="playhead" />
          {snapAt !== null && <div className="snap-line" style={{ left: HEAD_W + snapAt * zoom }} data-testid="snap-line" />}
          {box && <div className="select-box" style={{ left: box.x0, top: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0 }} />}
        </div>
        {duration === 0 && (
          <div className="timeline-empty muted">Add media with “+ Add” or drag it from the library onto a track.</div>
        )}
      </div>
    </section>
  );
}
