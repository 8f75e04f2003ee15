// The timeline editing slice of the store: clip and track edits, the selection, and undo/redo.
// Every edit goes through change(), which keeps the content before it on the undo stack; the stacks
// hold content only (not the id or revision), so undo works across autosaves.
import type { Clip, TimelineContent, TrackKind } from './api';
import {
  IMAGE_SECONDS,
  clipEnd,
  clipsAt,
  dropPlacement,
  findClip,
  fitFades,
  movedTrack,
  newId,
  placeWithoutOverlap,
  removeClips,
  shiftClips,
  sourceLength,
  splitClips,
  trackKindFor,
  trimmed,
  withClip,
  withNewTrack,
} from './timeline-model';
import type { StudioState } from './store';

/** How many edits undo can take back. */
export const UNDO_LIMIT = 300;

export type SelectMode = 'replace' | 'toggle' | 'add';
export type ClipPatch = Partial<Pick<Clip, 'in' | 'out' | 'volume' | 'muted' | 'fade_in' | 'fade_out'>>;

export interface History {
  past: TimelineContent[];
  future: TimelineContent[];
}

export interface EditingSlice {
  /** The primary selected clip (the last one clicked), or null. */
  selectedClipId: string | null;
  /** Every selected clip, the primary one included. */
  selectedClipIds: string[];
  history: History;

  /** Adds a clip; {@code drop} places it where it was dropped (another track, or a new one, when it does not fit). */
  addClip(assetId: string, opts?: { trackId?: string; start?: number; drop?: boolean }): string | null;
  moveClip(clipId: string, start: number, trackId?: string): void;
  /** Moves clips together; false (and nothing changes) when one would overlap or start before 0. */
  moveClips(clipIds: string[], delta: number): boolean;
  trimClip(clipId: string, edge: 'start' | 'end', time: number): void;
  removeClip(clipId: string): void;
  /** Removes the selected clips; with ripple, later clips of their tracks close the gap. */
  removeSelection(opts?: { ripple?: boolean }): void;
  /** Cuts the selected clips under the playhead in two (every clip there when no selected one is). */
  splitAtPlayhead(): void;
  setClipAudio(clipId: string, audio: { volume?: number; muted?: boolean }): void;
  setClip(clipId: string, patch: ClipPatch): void;
  addTrack(kind: TrackKind): void;
  removeTrack(trackId: string): void;
  /** Mutes or solos a track's sound. */
  setTrack(trackId: string, flags: { muted?: boolean; solo?: boolean }): void;
  moveTrack(trackId: string, direction: -1 | 1): void;
  renameTimeline(name: string): void;
  setFormat(format: { width?: number; height?: number; fps?: number }): void;
  selectClip(clipId: string | null, mode?: SelectMode): void;
  selectClips(clipIds: string[], mode?: SelectMode): void;

  /** Edits between beginGesture and endGesture (a drag, a slider) are one undo step. */
  beginGesture(): void;
  endGesture(): void;
  undo(): void;
  redo(): void;
}

type Set = (partial: Partial<StudioState>) => void;
type Get = () => StudioState;

export interface EditingContext {
  /** Applies content to the timeline: unsaved, proxy stale when it no longer shows it. */
  apply(next: TimelineContent): void;
}

const contentOf = (t: TimelineContent): TimelineContent => ({ name: t.name, width: t.width, height: t.height, fps: t.fps, tracks: t.tracks });

export function editingSlice(set: Set, get: Get, ctx: EditingContext): EditingSlice {
  // The group of the last recorded edit: a further edit of the same group adds no undo step.
  let lastGroup: string | null = null;
  let gesture: string | null = null;

  const change = (next: TimelineContent, group: string | null = gesture) => {
    const current = contentOf(get().timeline);
    if (group === null || group !== lastGroup) {
      const past = [...get().history.past, current].slice(-UNDO_LIMIT);
      set({ history: { past, future: [] } });
    } else if (get().history.future.length) {
      set({ history: { ...get().history, future: [] } });
    }
    lastGroup = group;
    ctx.apply(next);
  };

  /** Keeps the selection to clips that exist. */
  const pruneSelection = () => {
    const t = get().timeline;
    const ids = get().selectedClipIds.filter((id) => findClip(t, id));
    const primary = get().selectedClipId && ids.includes(get().selectedClipId!) ? get().selectedClipId : (ids.at(-1) ?? null);
    set({ selectedClipIds: ids, selectedClipId: primary });
  };

  const travel = (from: 'past' | 'future') => {
    const { history, timeline } = get();
    const stack = history[from];
    if (stack.length === 0) return;
    const target = stack[stack.length - 1];
    const rest = stack.slice(0, -1);
    const current = contentOf(timeline);
    set({ history: from === 'past' ? { past: rest, future: [...history.future, current] } : { past: [...history.past, current], future: rest } });
    lastGroup = null;
    ctx.apply(target);
    pruneSelection();
  };

  const selected = (): string[] => get().selectedClipIds;

  return {
    selectedClipId: null,
    selectedClipIds: [],
    history: { past: [], future: [] },

    addClip(assetId, opts = {}) {
      const asset = get().assets.find((a) => a.asset_id === assetId);
      if (!asset) return null;
      let timeline: TimelineContent = get().timeline;
      const kind = trackKindFor(asset);
      const length = asset.kind === 'image' ? IMAGE_SECONDS : (asset.duration_s ?? IMAGE_SECONDS);
      let track = timeline.tracks.find((t) => t.id === opts.trackId && t.kind === kind) ?? timeline.tracks.find((t) => t.kind === kind);
      let start: number;
      if (opts.drop && track && opts.start != null) {
        const place = dropPlacement(timeline, track.id, length, opts.start);
        if (place.trackId === null) {
          const made = withNewTrack(timeline, kind);
          timeline = made.timeline;
          track = timeline.tracks.find((t) => t.id === made.trackId);
        } else {
          track = timeline.tracks.find((t) => t.id === place.trackId);
        }
        start = place.start;
      } else {
        if (!track) {
          const made = withNewTrack(timeline, kind);
          timeline = made.timeline;
          track = timeline.tracks.find((t) => t.id === made.trackId);
        }
        const desired = opts.start ?? Math.max(0, ...track!.clips.map(clipEnd));
        start = placeWithoutOverlap(track!.clips, length, desired);
      }
      const target = track!;
      const clip = { id: newId('clip'), asset_id: assetId, start, in: 0, out: Math.round(length * 1000) / 1000 };
      change(
        { ...timeline, tracks: timeline.tracks.map((t) => (t.id === target.id ? { ...t, clips: [...t.clips, clip].sort((a, b) => a.start - b.start) } : t)) },
        null,
      );
      set({ selectedClipId: clip.id, selectedClipIds: [clip.id] });
      return clip.id;
    },

    moveClip(clipId, start, trackId) {
      const { timeline } = get();
      const found = findClip(timeline, clipId);
      if (!found) return;
      const target = timeline.tracks.find((t) => t.id === (trackId ?? found.track.id));
      if (!target || target.kind !== found.track.kind) return;
      const others = target.clips.filter((c) => c.id !== clipId);
      const placed = placeWithoutOverlap(others, found.clip.out - found.clip.in, start);
      if (placed === found.clip.start && target.id === found.track.id) return;
      change(withClip(timeline, clipId, { ...found.clip, start: placed }, target.id));
    },

    moveClips(clipIds, delta) {
      if (delta === 0) return true;
      const next = shiftClips(get().timeline, clipIds, delta);
      if (!next) return false;
      change(next);
      return true;
    },

    trimClip(clipId, edge, time) {
      const { timeline, assets } = get();
      const found = findClip(timeline, clipId);
      if (!found) return;
      const asset = assets.find((a) => a.asset_id === found.clip.asset_id);
      const next = trimmed(found.track, found.clip, edge, time, sourceLength(asset));
      if (next.start === found.clip.start && next.in === found.clip.in && next.out === found.clip.out) return;
      change(withClip(timeline, clipId, next));
    },

    removeClip(clipId) {
      if (!findClip(get().timeline, clipId)) return;
      change(removeClips(get().timeline, [clipId], false), null);
      pruneSelection();
    },

    removeSelection(opts = {}) {
      const ids = selected();
      if (ids.length === 0) return;
      change(removeClips(get().timeline, ids, !!opts.ripple), null);
      set({ selectedClipIds: [], selectedClipId: null });
    },

    splitAtPlayhead() {
      const { timeline, playhead } = get();
      const under = clipsAt(timeline, playhead).map((c) => c.id);
      // The selected clips under the playhead; when none of them is there, every clip there.
      const picked = under.filter((id) => selected().includes(id));
      const chosen = picked.length ? picked : under;
      if (chosen.length === 0) return;
      const { timeline: next, created } = splitClips(timeline, chosen, playhead);
      change(next, null);
      // Cutting chosen clips carries on with their right parts; a cut of everything selects nothing.
      if (picked.length) set({ selectedClipIds: created, selectedClipId: created.at(-1) ?? null });
    },

    setClipAudio(clipId, audio) {
      get().setClip(clipId, audio);
    },

    setClip(clipId, patch) {
      const found = findClip(get().timeline, clipId);
      if (!found) return;
      const next: Clip = { ...found.clip, ...patch };
      const length = sourceLength(get().assets.find((a) => a.asset_id === found.clip.asset_id));
      // in/out typed in the inspector: kept inside the source, at least a tenth of a second long
      next.in = Math.max(0, Math.min(next.in, next.out - 0.1));
      next.out = Math.min(length, Math.max(next.out, next.in + 0.1));
      const others = found.track.clips.filter((c) => c.id !== clipId);
      const end = next.start + next.out - next.in;
      if (others.some((c) => next.start < clipEnd(c) - 1e-9 && end > c.start + 1e-9)) {
        next.out = found.clip.out;
        next.in = found.clip.in;
      }
      const dur = next.out - next.in;
      for (const k of ['fade_in', 'fade_out'] as const) {
        const v = next[k];
        if (v == null) continue;
        if (v <= 0) delete next[k];
        else next[k] = Math.round(Math.min(v, dur) * 100) / 100;
      }
      const group = gesture ?? `clip:${clipId}:${Object.keys(patch).sort().join(',')}`;
      change(withClip(get().timeline, clipId, fitFades(next)), group);
    },

    addTrack(kind) {
      change(withNewTrack(get().timeline, kind).timeline, null);
    },

    removeTrack(trackId) {
      const t = get().timeline;
      const track = t.tracks.find((tr) => tr.id === trackId);
      if (!track || t.tracks.filter((tr) => tr.kind === track.kind).length <= 1) return;
      change({ ...t, tracks: t.tracks.filter((tr) => tr.id !== trackId) }, null);
      pruneSelection();
    },

    setTrack(trackId, flags) {
      const t = get().timeline;
      const tracks = t.tracks.map((tr) => {
        if (tr.id !== trackId) return tr;
        const next = { ...tr, ...flags };
        if (!next.muted) delete next.muted;
        if (!next.solo) delete next.solo;
        return next;
      });
      change({ ...t, tracks }, null);
    },

    moveTrack(trackId, direction) {
      const next = movedTrack(get().timeline, trackId, direction);
      if (next !== get().timeline) change(next, null);
    },

    renameTimeline(name) {
      change({ ...get().timeline, name }, 'rename');
    },

    setFormat(format) {
      change({ ...get().timeline, ...format }, null);
    },

    selectClip(clipId, mode = 'replace') {
      if (clipId === null) {
        set({ selectedClipId: null, selectedClipIds: [] });
        return;
      }
      get().selectClips([clipId], mode);
    },

    selectClips(clipIds, mode = 'replace') {
      const current = selected();
      let ids: string[];
      if (mode === 'replace') ids = [...clipIds];
      else if (mode === 'add') ids = [...current, ...clipIds.filter((id) => !current.includes(id))];
      else {
        ids = current.filter((id) => !clipIds.includes(id));
        ids.push(...clipIds.filter((id) => !current.includes(id)));
      }
      set({ selectedClipIds: ids, selectedClipId: ids.includes(clipIds.at(-1) ?? '') ? clipIds.at(-1)! : (ids.at(-1) ?? null) });
    },

    beginGesture() {
      gesture = newId('gesture');
    },

    endGesture() {
      gesture = null;
    },

    undo() {
      travel('past');
    },

    redo() {
      travel('future');
    },
  };
}

/** Forgets the undo stacks (another timeline opened). */
export const noHistory: History = { past: [], future: [] };
