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

/** Trims one edge to {@code time} (timeline seconds), inside the source and the neighbours. */
export function trimmed(track: Track, clip: Clip, edge: 'start' | 'end', time: number, length: number): Clip {
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
      clips: [...track.clips]
        .sort((a, b) => a.start - b.start)
        .map((c) => [c.id, c.asset_id, c.start, c.in, c.out, c.volume ?? 1, !!c.muted]),
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
