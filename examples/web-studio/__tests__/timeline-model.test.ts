// Unit tests of the pure editing rules: placement without overlap, trims, snapping, content key.
import { describe, expect, it } from 'vitest';
import { clipIdOfPath, contentKey, emptyTimeline, placeWithoutOverlap, snapStart, snapTargets, trimmed } from '../src/timeline-model';
import type { Clip, Track } from '../src/api';

const clip = (id: string, start: number, inPoint: number, out: number): Clip => ({ id, asset_id: 'a', start, in: inPoint, out });

describe('placeWithoutOverlap', () => {
  const others = [clip('a', 0, 0, 4), clip('b', 10, 0, 5)];
  it('keeps a free position and moves an overlapping one to the nearest gap edge', () => {
    expect(placeWithoutOverlap(others, 3, 5)).toBe(5);
    expect(placeWithoutOverlap(others, 3, 3)).toBe(4);
    expect(placeWithoutOverlap(others, 3, 8.5)).toBe(7);
    expect(placeWithoutOverlap(others, 8, 5)).toBe(15); // the gap is too small
    expect(placeWithoutOverlap([], 2, -3)).toBe(0);
  });
});

describe('trimmed', () => {
  const track: Track = { id: 'v1', kind: 'video', clips: [clip('a', 0, 0, 4), clip('b', 6, 2, 8), clip('c', 13, 0, 2)] };
  const b = track.clips[1];
  it('moves the start with the in point, never before the source or the previous clip', () => {
    expect(trimmed(track, b, 'start', 7, 20)).toMatchObject({ start: 7, in: 3, out: 8 });
    const afterShortClip: Track = { ...track, clips: [clip('a', 0, 0, 2), b] };
    expect(trimmed(afterShortClip, b, 'start', 3, 20)).toMatchObject({ start: 4, in: 0 }); // the source starts 2 s earlier
    const deepIn = clip('b', 6, 5, 8);
    expect(trimmed({ ...track, clips: [track.clips[0], deepIn] }, deepIn, 'start', 3, 20)).toMatchObject({ start: 4, in: 3 }); // the previous clip ends at 4
  });
  it('moves the out point, never past the source end or the next clip, never below 0.1 s', () => {
    expect(trimmed(track, b, 'end', 11, 20)).toMatchObject({ out: 7 });
    expect(trimmed(track, b, 'end', 30, 20)).toMatchObject({ out: 9 }); // next clip at 13 s
    expect(trimmed(track, b, 'end', 30, 8.5)).toMatchObject({ out: 8.5 }); // the source ends
    expect(trimmed(track, b, 'end', 0, 20)).toMatchObject({ out: 2.1 });
  });
});

describe('snapping', () => {
  it('snaps the start or the end of a moved clip to the nearest edge within the threshold', () => {
    const targets = [0, 5, 12];
    expect(snapStart(4.9, 2, targets, 0.2)).toBe(5);
    expect(snapStart(9.9, 2, targets, 0.2)).toBe(10); // its end meets 12
    expect(snapStart(7, 2, targets, 0.2)).toBe(7);
  });
  it('targets the playhead and other clips, not the clip itself', () => {
    const t = { ...emptyTimeline(), tracks: [{ id: 'v1', kind: 'video' as const, clips: [clip('a', 1, 0, 2), clip('b', 5, 0, 1)] }] };
    expect(snapTargets(t, 'a', 3.5).sort()).toEqual([0, 3.5, 5, 6]);
  });
});

describe('contentKey and paths', () => {
  it('ignores the name and clip order, not a trim', () => {
    const t = { ...emptyTimeline(), tracks: [{ id: 'v1', kind: 'video' as const, clips: [clip('a', 0, 0, 2), clip('b', 5, 0, 1)] }] };
    const reordered = { ...t, name: 'Other', tracks: [{ ...t.tracks[0], clips: [...t.tracks[0].clips].reverse() }] };
    expect(contentKey(reordered)).toBe(contentKey(t));
    expect(contentKey({ ...t, tracks: [{ ...t.tracks[0], clips: [clip('a', 0, 0, 1.5), clip('b', 5, 0, 1)] }] })).not.toBe(contentKey(t));
    expect(clipIdOfPath(t, 'tracks[0].clips[1].out')).toBe('b');
    expect(clipIdOfPath(t, 'name')).toBeNull();
  });
});
