// The selected clip(s): name, source in/out, volume in dB with its number, mute, fades; remove and
// ripple delete. A second row under the timeline's toolbar, so nothing covers it at 1024 px.
import { useEffect, useState } from 'react';
import type { Asset, Clip } from '../api';
import { useVideoStudioStore } from '../store';
import { findClip, fromDb, toDb } from '../timeline-model';

export function Inspector({ assets }: { assets: Map<string, Asset> }) {
  const ids = useVideoStudioStore((s) => s.selectedClipIds);
  const primary = useVideoStudioStore((s) => s.selectedClipId);
  const timeline = useVideoStudioStore((s) => s.timeline);
  const removeSelection = useVideoStudioStore((s) => s.removeSelection);
  const found = primary ? findClip(timeline, primary) : null;

  if (ids.length === 0 || !found) {
    return (
      <div className="inspector empty muted" data-testid="inspector">
        Click a clip to edit it · Shift/Ctrl+click or drag a box to select several · S splits at the playhead · Ctrl+Z undoes
      </div>
    );
  }
  return (
    <div className="inspector" data-testid="inspector">
      {ids.length > 1 ? (
        <span className="insp-name">{ids.length} clips selected</span>
      ) : (
        <ClipFields clip={found.clip} asset={assets.get(found.clip.asset_id)} audio={found.track.kind === 'audio' || !!assets.get(found.clip.asset_id)?.has_audio} />
      )}
      <span className="spacer" />
      <button className="btn small" onClick={() => removeSelection({ ripple: true })} title="Remove and close the gap (Shift+Delete)">
        Ripple delete
      </button>
      <button className="btn small danger" onClick={() => removeSelection()} title="Remove (Delete)">
        Remove
      </button>
    </div>
  );
}

/** A number field that edits on Enter or leaving the field (not on every keystroke). */
function NumberField(props: { title?: string; label: string; value: number; step: number; min?: number; max?: number; onCommit: (v: number) => void; suffix?: string; testId?: string }) {
  const [text, setText] = useState(String(props.value));
  useEffect(() => setText(String(props.value)), [props.value]);
  const commit = () => {
    const v = Number(text);
    if (Number.isFinite(v)) props.onCommit(Math.min(props.max ?? Infinity, Math.max(props.min ?? -Infinity, v)));
    else setText(String(props.value));
  };
  return (
    <label className="field" title={props.title}>
      {props.label}
      <input
        type="number"
        value={text}
        step={props.step}
        min={props.min}
        max={props.max}
        data-testid={props.testId}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            commit();
            (e.target as HTMLInputElement).blur();
          }
        }}
      />
      {props.suffix && <span className="muted">{props.suffix}</span>}
    </label>
  );
}

function ClipFields({ clip, asset, audio }: { clip: Clip; asset: Asset | undefined; audio: boolean }) {
  const setClip = useVideoStudioStore((s) => s.setClip);
  const beginGesture = useVideoStudioStore((s) => s.beginGesture);
  const endGesture = useVideoStudioStore((s) => s.endGesture);
  const db = toDb(clip.volume ?? 1);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return (
    <>
      <span className="insp-name" title={asset?.filename}>
        {asset?.filename ?? 'missing asset'}
      </span>
      <NumberField title="Source in point, seconds" label="In" value={r2(clip.in)} step={0.1} min={0} onCommit={(v) => setClip(clip.id, { in: v })} testId="clip-in" />
      <NumberField title="Source out point, seconds" label="Out" value={r2(clip.out)} step={0.1} min={0} onCommit={(v) => setClip(clip.id, { out: v })} testId="clip-out" />
      {audio && (
        <>
          <button
            className={`btn small ${clip.muted ? 'on' : ''}`}
            aria-pressed={!!clip.muted}
            onClick={() => setClip(clip.id, { muted: !clip.muted })}
            data-testid="clip-mute"
          >
            {clip.muted ? 'Muted' : 'Mute'}
          </button>
          <label className="field volume">
            Vol
            <input
              type="range"
              min={-40}
              max={6}
              step={0.5}
              value={Math.max(-40, db)}
              aria-label="Clip volume (dB)"
              onPointerDown={beginGesture}
              onPointerUp={endGesture}
              onChange={(e) => setClip(clip.id, { volume: fromDb(Number(e.target.value)) })}
            />
          </label>
          <NumberField label="" value={db} step={0.5} min={-60} max={6} onCommit={(v) => setClip(clip.id, { volume: fromDb(v) })} suffix="dB" testId="clip-db" />
          <NumberField title="Fade-in, seconds" label="Fade in" value={clip.fade_in ?? 0} step={0.1} min={0} onCommit={(v) => setClip(clip.id, { fade_in: v })} testId="clip-fade-in" />
          <NumberField title="Fade-out, seconds" label="out" value={clip.fade_out ?? 0} step={0.1} min={0} onCommit={(v) => setClip(clip.id, { fade_out: v })} testId="clip-fade-out" />
        </>
      )}
    </>
  );
}
