// One track: its header (label, mute, solo, order, remove) and its lane of clips, which takes drops.
import { useState, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import type { Track, TrackKind } from '../api';
import { useVideoStudioStore } from '../store';
import { ASSET_DRAG_TYPE, dragging } from './asset-library';

export const TRACK_H = { video: 76, audio: 76 } as const;

/** Where a dragged asset would land: on a track, or on a new track of its kind. */
export interface Ghost {
  trackId: string | null;
  kind: TrackKind;
  start: number;
  duration: number;
}

export function TrackRow(props: {
  track: Track;
  index: number;
  label: string;
  width: number;
  zoom: number;
  ghost: Ghost | null;
  children: ReactNode;
  onLanePointerDown: (e: ReactPointerEvent<HTMLElement>) => void;
  onDragOverLane: (clientX: number) => boolean;
  onDropAsset: (assetId: string, clientX: number) => void;
}) {
  const { track, label, width, ghost, zoom } = props;
  const [over, setOver] = useState<'ok' | 'no' | null>(null);
  const tracks = useVideoStudioStore((s) => s.timeline.tracks);
  const removeTrack = useVideoStudioStore((s) => s.removeTrack);
  const moveTrack = useVideoStudioStore((s) => s.moveTrack);
  const setTrack = useVideoStudioStore((s) => s.setTrack);
  const sameKind = tracks.filter((t) => t.kind === track.kind);
  const pos = sameKind.indexOf(track);
  const heard = !track.muted && (!tracks.some((t) => t.solo) || !!track.solo);
  return (
    <div className={`track-row ${track.kind} ${heard ? '' : 'not-heard'}`} style={{ height: TRACK_H[track.kind] }} data-testid={`track-${track.id}`}>
      <div className="track-head">
        <span className={`track-badge ${track.kind}`} data-testid="track-label">
          {label}
        </span>
        <span className="track-tools">
          <button
            className={`btn tiny ghost toggle ${track.muted ? 'on' : ''}`}
            aria-pressed={!!track.muted}
            onClick={() => setTrack(track.id, { muted: !track.muted })}
            aria-label={`Mute ${label}`}
            title="Mute the track's sound"
          >
            M
          </button>
          <button
            className={`btn tiny ghost toggle ${track.solo ? 'on solo' : ''}`}
            aria-pressed={!!track.solo}
            onClick={() => setTrack(track.id, { solo: !track.solo })}
            aria-label={`Solo ${label}`}
            title="Hear only the solo tracks"
          >
            S
          </button>
          <button className="btn tiny ghost" disabled={pos <= 0} onClick={() => moveTrack(track.id, -1)} aria-label={`Move ${label} up`} title="Move up">
            ↑
          </button>
          <button className="btn tiny ghost" disabled={pos >= sameKind.length - 1} onClick={() => moveTrack(track.id, 1)} aria-label={`Move ${label} down`} title="Move down">
            ↓
          </button>
          <button
            className="btn tiny ghost"
            disabled={sameKind.length <= 1}
            onClick={() => removeTrack(track.id)}
            aria-label={`Remove track ${label}`}
            title={track.clips.length ? `Remove the track and its ${track.clips.length} clip(s) (undo brings them back)` : 'Remove the track'}
          >
            ✕
          </button>
        </span>
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
          if (props.onDragOverLane(e.clientX)) {
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
          if (id && dragging.asset) {
            e.preventDefault();
            props.onDropAsset(id, e.clientX);
          }
        }}
      >
        {props.children}
        {ghost && <div className="drop-ghost" data-testid="drop-ghost" style={{ left: ghost.start * zoom, width: ghost.duration * zoom }} />}
      </div>
    </div>
  );
}
