// Pure timeline editing rules: ids, clip placement without overlap, trim bounds, the content key.
import type { Asset, Clip, TimelineContent, Track, TrackKind } from './api';

/** Shortest clip the editor lets a trim produce, seconds. */
export const MIN_CLIP = 0.1;
/** How long an image clip lasts when added. */
export const IMAGE_SECONDS = 5;

let counter = 0;
/** A URL-safe id (crypto.randomUUID is missing on plain-http pages served to other hosts). */
export function newId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}${counter.toString(36)}`;
}

export function emptyTimeline(): TimelineContent {
  return {
    name: 'Untitled timeline',
    width: 1280,
    height: 720,
    fps: 30,
    tracks: [
      { id: 'v1', kind: 'video', clips: [] },
      { id: 'a1', kind: 'audio', clips: [] },
    ],
  };
}

export function clipEnd(clip: Clip): number {
  return clip.start + (clip.out - clip.in);
}

export function timelineDuration(t: TimelineContent): number {
  let end = 0;
  for (const track of t.tracks) for (const clip of track.clips) end = Math.max(end, clipEnd(clip));
  return end;
}

/** The track kind an asset goes on: audio files on audio tracks, video and images on video tracks. */
export function trackKindFor(asset: Asset): TrackKind {
  return asset.kind === 'audio' ? 'audio' : 'video';
}

/** Source length usable by a clip of this asset (images have none: any length). */
export function sourceLength(asset: Asset | undefined): number {
  if (!asset || asset.kind === 'image') return Number.POSITIVE_INFINITY;
  return asset.duration_s ?? Number.POSITIVE_INFINITY;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The start nearest to {@code desired} where a clip of {@code duration} fits on the track between
 * the other clips, never before 0.
 */
export function placeWithoutOverlap(others: Clip[], duration: number, desired: number): number {
  const sorted = [...others].sort((a, b) => a.start - b.start);
  const candidates: number[] = [Math.max(0, desired)];
  for (const c of sorted) {
    candidates.push(clipEnd(c));
    candidates.push(c.start - duration);
  }
  const fits = (s: number) => s >= 0 && sorted.every((c) => s + duration <= c.start + 1e-9 || s >= clipEnd(c) - 1e-9);
  let best = Number.NaN;
  for (const s of candidates) {
    if (fits(s) && (Number.isNaN(best) || Math.abs(s - desired) < Math.abs(best - desired))) best = s;
  }
  return round(Number.isNaN(best) ? (sorted.length ? clipEnd(sorted[sorted.length - 1]) : 0) : best);
}

export function findClip(t: TimelineContent, clipId: string): { track: Track; clip: Clip } | null {
  for (const track of t.tracks) {
    const clip = track.clips.find((c) => c.id === clipId);
    if (clip) return { track, clip };
  }
  return null;
}

/** Replaces one clip (and optionally its track), keeping every track sorted by start. */
export function withClip(t: TimelineContent, clipId: string, next: Clip, trackId?: string): TimelineContent {
  const from = findClip(t, clipId);
  if (!from) return t;
  const target = trackId ?? from.track.id;
  return {
    ...t,
    tracks: t.tracks.map((track) => {
      let clips = track.clips.filter((c) => c.id !== clipId);
      if (track.id === target) clips = [...clips, next].sort((a, b) => a.start - b.start);
      return clips === track.clips ? track : { ...track, clips };
    }),
  };
}

/** Fades cut down so that together they fit in the clip (the server refuses more). */
export function fitFades(clip: Clip): Clip {
  const dur = clip.out - clip.in;
  const fi = clip.fade_in ?? 0;
  const fo = clip.fade_out ?? 0;
  if (fi + fo <= dur + 1e-9) return clip;
  const scale = dur / (fi + fo);
  return { ...clip, ...(fi ? { fade_in: Math.floor(fi * scale * 100) / 100 } : {}), ...(fo ? { fade_out: Math.floor(fo * scale * 100) / 100 } : {}) };
}

/** Trims one edge to {@code time} (timeline seconds), inside the source and the neighbours. */
export function trimmed(track: Track, clip: Clip, edge: 'start' | 'end', time: number, length: number): Clip {
  return fitFades(trimmedEdge(track, clip, edge, time, length));
}

function trimmedEdge(track: Track, clip: Clip, edge: 'start' | 'end', time: number, length: number): Clip {
  const others = track.clips.filter((c) => c.id !== clip.id);
  if (edge === 'start') {
    const prevEnd = Math.max(0, ...others.filter((c) => c.start < clip.start).map(clipEnd));
    const earliest = Math.max(prevEnd, clip.start - clip.in);
    const latest = clipEnd(clip) - MIN_CLIP;
    const start = round(Math.min(latest, Math.max(earliest, time)));
    return { ...clip, start, in: round(clip.in + (start - clip.start)) };
  }
  const nextStart = Math.min(Number.POSITIVE_INFINITY, ...others.filter((c) => c.start > clip.start).map((c) => c.start));
  const latest = Math.min(nextStart, clip.start + (length - clip.in));
  const end = Math.min(latest, Math.max(clip.start + MIN_CLIP, time));
  return { ...clip, out: round(clip.in + (end - clip.start)) };
}

/**
 * What decides the picture and sound of a render: everything but the name, with clips in start
 * order. Two timelines with the same key have the same proxy.
 */
export function contentKey(t: TimelineContent): string {
  return JSON.stringify({
    width: t.width,
    height: t.height,
    fps: t.fps,
    tracks: t.tracks.map((track) => ({
      id: track.id,
      kind: track.kind,
      heard: [!!track.muted, !!track.solo],
      clips: [...track.clips]
        .sort((a, b) => a.start - b.start)
        .map((c) => [c.id, c.asset_id, c.start, c.in, c.out, c.volume ?? 1, !!c.muted, c.fade_in ?? 0, c.fade_out ?? 0]),
    })),
  });
}

/** Times a dragged clip edge snaps to: 0, the playhead and every other clip's edges. */
export function snapTargets(t: TimelineContent, exceptClipId: string, playhead: number): number[] {
  const targets = [0, playhead];
  for (const track of t.tracks) {
    for (const c of track.clips) if (c.id !== exceptClipId) targets.push(c.start, clipEnd(c));
  }
  return targets;
}

/**
 * Snaps a moved clip: when its start or its end comes within {@code threshold} seconds of a target,
 * the nearest such target wins; otherwise the start is unchanged.
 */
export function snapStart(start: number, duration: number, targets: number[], threshold: number): number {
  let best = start;
  let bestDistance = threshold;
  for (const target of targets) {
    for (const candidate of [target, target - duration]) {
      const d = Math.abs(candidate - start);
      if (d < bestDistance && candidate >= 0) {
        best = candidate;
        bestDistance = d;
      }
    }
  }
  return best;
}

/** Maps a 422 detail path like "tracks[0].clips[1].out" to the clip it names. */
export function clipIdOfPath(t: TimelineContent, path: string | undefined): string | null {
  const m = path ? /tracks\[(\d+)]\.clips\[(\d+)]/.exec(path) : null;
  if (!m) return null;
  return t.tracks[Number(m[1])]?.clips[Number(m[2])]?.id ?? null;
}

/** Clips whose inside (not an edge) holds {@code time}: the ones a split at {@code time} cuts. */
export function clipsAt(t: TimelineContent, time: number): Clip[] {
  return t.tracks.flatMap((track) => track.clips.filter((c) => time > c.start + MIN_CLIP / 2 && time < clipEnd(c) - MIN_CLIP / 2));
}

/**
 * Cuts each of {@code ids} that spans {@code time} in two: the left part keeps the id, the right
 * part gets a new one. Returns the timeline and the ids of the right parts.
 */
export function splitClips(t: TimelineContent, ids: string[], time: number): { timeline: TimelineContent; created: string[] } {
  const wanted = new Set(ids);
  const created: string[] = [];
  const tracks = t.tracks.map((track) => {
    const cut = track.clips.filter((c) => wanted.has(c.id) && time > c.start + MIN_CLIP / 2 && time < clipEnd(c) - MIN_CLIP / 2);
    if (cut.length === 0) return track;
    const clips = track.clips.flatMap((c) => {
      if (!cut.includes(c)) return [c];
      const at = round(c.in + (time - c.start));
      const right: Clip = { ...c, id: newId('clip'), start: round(time), in: at };
      created.push(right.id);
      const left: Clip = { ...c, out: at };
      delete left.fade_out;
      delete right.fade_in;
      return [left, right];
    });
    return { ...track, clips };
  });
  return { timeline: { ...t, tracks }, created };
}

/** Removes clips; with {@code ripple}, later clips of the same track move left by what was removed before them. */
export function removeClips(t: TimelineContent, ids: string[], ripple: boolean): TimelineContent {
  const gone = new Set(ids);
  return {
    ...t,
    tracks: t.tracks.map((track) => {
      const removed = track.clips.filter((c) => gone.has(c.id));
      if (removed.length === 0) return track;
      const kept = track.clips.filter((c) => !gone.has(c.id));
      const clips = ripple
        ? kept.map((c) => {
            const shift = removed.filter((r) => r.start < c.start).reduce((sum, r) => sum + (r.out - r.in), 0);
            return shift ? { ...c, start: round(Math.max(0, c.start - shift)) } : c;
          })
        : kept;
      return { ...track, clips };
    }),
  };
}

/**
 * Moves clips together by {@code delta} seconds; null when one would start before 0 or overlap a
 * clip that does not move.
 */
export function shiftClips(t: TimelineContent, ids: string[], delta: number): TimelineContent | null {
  const moving = new Set(ids);
  let ok = true;
  const tracks = t.tracks.map((track) => {
    if (!track.clips.some((c) => moving.has(c.id))) return track;
    const clips = track.clips.map((c) => (moving.has(c.id) ? { ...c, start: round(c.start + delta) } : c));
    const fixed = clips.filter((c) => !moving.has(c.id));
    for (const c of clips) {
      if (!moving.has(c.id)) continue;
      if (c.start < -1e-9 || fixed.some((f) => c.start < clipEnd(f) - 1e-9 && clipEnd(c) > f.start + 1e-9)) ok = false;
    }
    return { ...track, clips: clips.sort((a, b) => a.start - b.start) };
  });
  return ok ? { ...t, tracks } : null;
}

/** Whether a clip of {@code duration} fits at {@code start} on a track. */
export function fitsAt(track: Track, start: number, duration: number, exceptId?: string): boolean {
  return start >= 0 && track.clips.every((c) => c.id === exceptId || start + duration <= c.start + 1e-9 || start >= clipEnd(c) - 1e-9);
}

/**
 * Where a dropped clip lands: at the drop time on the track under the pointer when it fits there,
 * else at the same time on the nearest track of the kind where it fits, else on a new track (never
 * far away along the time axis, where the person would not see it).
 */
export function dropPlacement(t: TimelineContent, trackId: string, duration: number, desired: number): { trackId: string | null; start: number } {
  const start = round(Math.max(0, desired));
  const target = t.tracks.find((tr) => tr.id === trackId);
  if (!target) return { trackId: null, start };
  if (fitsAt(target, start, duration)) return { trackId, start };
  const index = t.tracks.indexOf(target);
  const others = t.tracks
    .map((tr, i) => ({ tr, d: Math.abs(i - index) }))
    .filter(({ tr }) => tr !== target && tr.kind === target.kind)
    .sort((a, b) => a.d - b.d);
  const free = others.find(({ tr }) => fitsAt(tr, start, duration));
  return { trackId: free ? free.tr.id : null, start };
}

/** A new track of {@code kind}: video tracks stay above audio tracks, a new one goes last of its kind. */
export function withNewTrack(t: TimelineContent, kind: TrackKind): { timeline: TimelineContent; trackId: string } {
  const n = t.tracks.filter((tr) => tr.kind === kind).length + 1;
  let id = `${kind === 'video' ? 'v' : 'a'}${n}`;
  while (t.tracks.some((tr) => tr.id === id)) id = `${id}x`;
  const track: Track = { id, kind, clips: [] };
  const lastOfKind = t.tracks.map((tr) => tr.kind).lastIndexOf(kind);
  const at = lastOfKind >= 0 ? lastOfKind + 1 : kind === 'video' ? 0 : t.tracks.length;
  const tracks = [...t.tracks.slice(0, at), track, ...t.tracks.slice(at)];
  return { timeline: { ...t, tracks: orderTracks(tracks) }, trackId: id };
}

/** Video tracks first, audio tracks after, each kind keeping its order. */
export function orderTracks(tracks: Track[]): Track[] {
  return [...tracks.filter((tr) => tr.kind === 'video'), ...tracks.filter((tr) => tr.kind === 'audio')];
}

/** Moves a track one place up (-1) or down (+1) among the tracks of its kind. */
export function movedTrack(t: TimelineContent, trackId: string, direction: -1 | 1): TimelineContent {
  const i = t.tracks.findIndex((tr) => tr.id === trackId);
  const j = i + direction;
  if (i < 0 || j < 0 || j >= t.tracks.length || t.tracks[j].kind !== t.tracks[i].kind) return t;
  const tracks = [...t.tracks];
  [tracks[i], tracks[j]] = [tracks[j], tracks[i]];
  return { ...t, tracks };
}

/** Volume factor to decibels (for the inspector), -inf shown as -60. */
export function toDb(volume: number): number {
  return volume <= 0.001 ? -60 : Math.round(20 * Math.log10(volume) * 10) / 10;
}

export function fromDb(db: number): number {
  return db <= -60 ? 0 : Math.round(Math.pow(10, db / 20) * 1000) / 1000;
}
