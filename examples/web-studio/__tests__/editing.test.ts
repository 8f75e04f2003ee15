// The timeline editing slice and the projects slice: undo/redo, split, ripple, selection moves,
// drops that do not fit, timelines listed/opened/deleted. fetch is scripted where the server is asked.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createVideoStudioStore } from '../src/store';
import type { Asset, SavedTimeline } from '../src/api';
import { contentKey, dropPlacement, removeClips, splitClips, withNewTrack } from '../src/timeline-model';

type Answer = { status: number; body?: unknown };
function scriptedFetch() {
  const routes = new Map<string, Answer[]>();
  const calls: string[] = [];
  const fetch = vi.fn(async (input: string, init?: RequestInit) => {
    const route = `${init?.method ?? 'GET'} ${input}`;
    calls.push(route);
    const queue = routes.get(route);
    if (!queue || queue.length === 0) throw new Error(`unexpected call ${route}`);
    const a = queue.length > 1 ? queue.shift()! : queue[0];
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), { status: a.status, headers: { 'Content-Type': 'application/json' } });
  });
  return { fetch, calls, on: (route: string, ...answers: Answer[]) => routes.set(route, answers) };
}

const asset = (id: string, kind: Asset['kind'] = 'video', duration = 10): Asset => ({
  asset_id: id, filename: `${id}.mp4`, kind, content_type: 'video/mp4', size_bytes: 1, duration_s: duration, has_audio: true,
  has_video: kind === 'video', width: 640, height: 360, fps: 25, sample_rate: 48000, channels: 2, url: `/m/${id}`, waveformStatus: 'idle',
  created_at: '2026-11-25T10:00:00Z', stored_name: `${id}.mp4`, demuxer: 'mov,mp4,m4a,3gp,3g2,mj2',
});

let api: ReturnType<typeof scriptedFetch>;
function makeStore() {
  const store = createVideoStudioStore({ fetch: api.fetch, upload: () => { throw new Error('no upload in this test'); }, sleep: async () => undefined, storage: null });
  store.setState({ assets: [asset('v', 'video', 10), asset('s', 'audio', 100)] });
  return store;
}
const clipsOf = (store: ReturnType<typeof makeStore>, track = 'v1') =>
  store.getState().timeline.tracks.find((t) => t.id === track)!.clips.map((c) => [c.start, c.in, c.out]);

beforeEach(() => {
  api = scriptedFetch();
});

describe('undo and redo', () => {
  it('takes back every kind of edit, in order, and redoes them', () => {
    const store = makeStore();
    const s = () => store.getState();
    const a = s().addClip('v')!;
    s().addClip('v');
    s().trimClip(a, 'end', 4);
    s().setClip(a, { volume: 0.5 });
    s().renameTimeline('Holiday');
    expect(s().history.past).toHaveLength(5);
    s().undo();
    expect(s().timeline.name).toBe('Untitled timeline');
    s().undo();
    expect(s().timeline.tracks[0].clips[0].volume).toBeUndefined();
    s().undo();
    expect(clipsOf(store)).toEqual([[0, 0, 10], [10, 0, 10]]);
    s().redo();
    s().redo();
    expect(clipsOf(store)[0]).toEqual([0, 0, 4]);
    expect(s().timeline.tracks[0].clips[0].volume).toBe(0.5);
    s().undo();
    s().undo();
    s().undo();
    s().undo();
    expect(clipsOf(store)).toEqual([]);
    expect(s().history.future).toHaveLength(5);
    s().addClip('v');
    expect(s().history.future).toHaveLength(0);
  });

  it('keeps fades inside the clip through edits and trims, and splits them between the parts', () => {
    const store = makeStore();
    const s = () => store.getState();
    const a = s().addClip('s')!; // 100 s
    s().setClip(a, { fade_in: 2, fade_out: 3 });
    s().trimClip(a, 'end', 4);
    const c = s().timeline.tracks[1].clips[0];
    expect(c.out).toBe(4);
    expect((c.fade_in ?? 0) + (c.fade_out ?? 0)).toBeLessThanOrEqual(4);
    expect(c.fade_in).toBeCloseTo(1.6, 2);
    s().setPlayhead(2);
    s().splitAtPlayhead();
    const [left, right] = s().timeline.tracks[1].clips;
    expect([left.fade_in, left.fade_out, right.fade_in, right.fade_out]).toEqual([c.fade_in, undefined, undefined, c.fade_out]);
    s().setClip(right.id, { fade_out: 0 });
    expect('fade_out' in s().timeline.tracks[1].clips[1]).toBe(false);
  });

  it('makes one step of a drag and of a run of typing', () => {
    const store = makeStore();
    const s = () => store.getState();
    const a = s().addClip('v')!;
    s().beginGesture();
    for (const start of [1, 2, 3, 4]) s().moveClip(a, start);
    s().endGesture();
    for (const name of ['H', 'Ho', 'Hol']) s().renameTimeline(name);
    expect(s().history.past).toHaveLength(3);
    s().undo();
    s().undo();
    expect(clipsOf(store)).toEqual([[0, 0, 10]]);
  });

  it('is kept across autosaves, and the undone content is saved again', async () => {
    api.on('POST /api/generate/video/timeline', { status: 200, body: { timeline_id: 't1', revision: 1, name: 'x', width: 1280, height: 720, fps: 30, tracks: [] } });
    const store = makeStore();
    const s = () => store.getState();
    s().addClip('v');
    await s().saveTimeline();
    expect(s().save.status).toBe('saved');
    s().undo();
    expect(s().save.status).toBe('unsaved');
    expect(s().timeline.timeline_id).toBe('t1');
    expect(clipsOf(store)).toEqual([]);
    s().redo();
    expect(clipsOf(store)).toEqual([[0, 0, 10]]);
  });
});

describe('split, ripple and the selection', () => {
  it('splits the clips under the playhead in two that play the same source', () => {
    const store = makeStore();
    const s = () => store.getState();
    s().addClip('v');
    s().addClip('s');
    s().selectClip(null);
    s().setPlayhead(4);
    s().splitAtPlayhead();
    expect(clipsOf(store)).toEqual([[0, 0, 4], [4, 4, 10]]);
    expect(clipsOf(store, 'a1')).toEqual([[0, 0, 4], [4, 4, 100]]);
    expect(s().selectedClipIds).toHaveLength(0);
    s().undo();
    expect(clipsOf(store)).toEqual([[0, 0, 10]]);
  });

  it('splits only the selected clip when one is under the playhead, else every clip there, and not at an edge', () => {
    const store = makeStore();
    const s = () => store.getState();
    s().addClip('v');
    const audio = s().addClip('s')!;
    s().selectClip(audio);
    s().setPlayhead(2);
    s().splitAtPlayhead();
    expect(clipsOf(store)).toEqual([[0, 0, 10]]);
    expect(clipsOf(store, 'a1')).toHaveLength(2);
    // past the selected piece's reach: what is under the playhead is cut
    expect(s().selectedClipIds).toHaveLength(1);
    expect(s().selectedClipIds[0]).not.toBe(audio); // the right part, from 2 s
    s().setPlayhead(1);
    s().splitAtPlayhead();
    expect(clipsOf(store)).toEqual([[0, 0, 1], [1, 1, 10]]);
    s().setPlayhead(0);
    expect(splitClips(s().timeline, [s().timeline.tracks[0].clips[0].id], 0).created).toEqual([]);
  });

  it('ripple delete closes the gap on the clip’s track only', () => {
    const store = makeStore();
    const s = () => store.getState();
    const a = s().addClip('v')!;
    s().addClip('v');
    s().addClip('v');
    s().addClip('s');
    s().selectClip(a);
    s().removeSelection({ ripple: true });
    expect(clipsOf(store)).toEqual([[0, 0, 10], [10, 0, 10]]);
    expect(clipsOf(store, 'a1')).toEqual([[0, 0, 100]]);
    const t = s().timeline;
    expect(removeClips(t, [t.tracks[0].clips[0].id], false).tracks[0].clips.map((c) => c.start)).toEqual([10]);
  });

  it('moves and deletes a multiple selection together, refusing an overlap', () => {
    const store = makeStore();
    const s = () => store.getState();
    const a = s().addClip('v')!;
    const b = s().addClip('v')!;
    const c = s().addClip('s')!;
    s().selectClip(a);
    s().selectClip(c, 'toggle');
    expect(s().selectedClipIds).toEqual([a, c]);
    expect(s().moveClips(s().selectedClipIds, 2)).toBe(false); // a would run into b
    s().selectClips([b], 'add');
    expect(s().moveClips(s().selectedClipIds, 2)).toBe(true);
    expect(clipsOf(store)).toEqual([[2, 0, 10], [12, 0, 10]]);
    expect(clipsOf(store, 'a1')).toEqual([[2, 0, 100]]);
    s().removeSelection();
    expect(s().timeline.tracks.every((t) => t.clips.length === 0)).toBe(true);
    s().undo();
    expect(clipsOf(store)).toHaveLength(2);
  });

  it('drops a clip that does not fit on a free track at the drop time, or a new one', () => {
    const store = makeStore();
    const s = () => store.getState();
    s().addClip('s'); // 0..100 on a1
    s().addClip('s', { trackId: 'a1', start: 0, drop: true });
    const tracks = s().timeline.tracks;
    expect(tracks.map((t) => t.id)).toEqual(['v1', 'a1', 'a2']);
    expect(tracks[2].clips[0].start).toBe(0);
    expect(dropPlacement(s().timeline, 'a1', 5, 3)).toEqual({ trackId: null, start: 3 });
  });

  it('puts a new video track above the audio tracks, and removes and reorders tracks', () => {
    const store = makeStore();
    const s = () => store.getState();
    s().addTrack('video');
    s().addTrack('audio');
    expect(s().timeline.tracks.map((t) => t.id)).toEqual(['v1', 'v2', 'a1', 'a2']);
    s().moveTrack('v2', -1);
    expect(s().timeline.tracks.map((t) => t.id)).toEqual(['v2', 'v1', 'a1', 'a2']);
    s().moveTrack('a1', -1); // not above a video track
    expect(s().timeline.tracks.map((t) => t.id)).toEqual(['v2', 'v1', 'a1', 'a2']);
    s().removeTrack('a2');
    s().removeTrack('a1'); // the last audio track stays
    expect(s().timeline.tracks.map((t) => t.id)).toEqual(['v2', 'v1', 'a1']);
    expect(withNewTrack({ ...s().timeline, tracks: [] }, 'video').timeline.tracks).toHaveLength(1);
    const before = contentKey(s().timeline);
    s().setTrack('a1', { muted: true });
    expect(s().timeline.tracks.find((t) => t.id === 'a1')!.muted).toBe(true);
    expect(contentKey(s().timeline)).not.toBe(before);
    s().setTrack('a1', { muted: false });
    expect('muted' in s().timeline.tracks.find((t) => t.id === 'a1')!).toBe(false);
    s().undo();
    expect(s().timeline.tracks.find((t) => t.id === 'a1')!.muted).toBe(true);
  });
});

describe('timelines (projects)', () => {
  const saved = (id: string, name: string, updated: string, assetId = 'v'): SavedTimeline & { updated_at: string } => ({
    timeline_id: id, revision: 1, name, width: 1280, height: 720, fps: 30, updated_at: updated,
    tracks: [{ id: 'v1', kind: 'video', clips: [{ id: 'c', asset_id: assetId, start: 2, in: 0, out: 3 }] }],
    proxy_preview: { status: 'ready', url: `/media/video_proxies/${id}.webm` },
  });

  it('lists timelines, newest change first, with length and poster', async () => {
    api.on('GET /api/generate/video/timeline', { status: 200, body: [saved('t1', 'Old', '2026-01-01T00:00:00Z'), saved('t2', 'New', '2026-02-01T00:00:00Z')] });
    const store = makeStore();
    const items = await store.getState().loadProjects();
    expect(items.map((p) => [p.name, p.duration, p.proxy_url])).toEqual([
      ['New', 5, '/media/video_proxies/t2.webm'],
      ['Old', 5, '/media/video_proxies/t1.webm'],
    ]);
  });

  it('deleting the open timeline starts a new one; an asset in use names its timeline', async () => {
    api.on('GET /api/generate/video/timeline/t1', { status: 200, body: saved('t1', 'Trip', '2026-01-01T00:00:00Z') });
    api.on('DELETE /api/generate/video/timeline/t1', { status: 204 });
    api.on('GET /api/generate/video/timeline', { status: 200, body: [saved('t9', 'Wedding', '2026-01-01T00:00:00Z', 'x')] });
    api.on('DELETE /api/media/video-assets/x', { status: 409, body: { error: { code: 'asset_in_use', message: "asset 'x' is used", details: [] } } });
    const store = makeStore();
    const s = () => store.getState();
    await s().loadTimeline('t1');
    expect(s().timeline.name).toBe('Trip');
    await s().deleteProject('t1');
    expect(s().timeline.timeline_id).toBeNull();
    expect(s().timeline.tracks.every((t) => t.clips.length === 0)).toBe(true);
    await s().deleteAsset('x');
    expect(s().notice?.message).toContain('“Wedding”');
  });

  it('saves the removal of a clip before deleting its asset', async () => {
    api.on('POST /api/generate/video/timeline', { status: 200, body: { timeline_id: 't1', revision: 2, name: 'x', width: 1280, height: 720, fps: 30, tracks: [] } });
    api.on('DELETE /api/media/video-assets/v', { status: 204 });
    const store = makeStore();
    const s = () => store.getState();
    const a = s().addClip('v')!;
    store.setState({ timeline: { ...s().timeline, timeline_id: 't1', revision: 1 }, save: { status: 'saved', error: null, details: [] } });
    s().removeClip(a);
    await s().deleteAsset('v');
    expect(api.calls).toEqual(['POST /api/generate/video/timeline', 'DELETE /api/media/video-assets/v']);
    expect(s().assets.map((x) => x.asset_id)).toEqual(['s']);
  });
});

describe('thumbnail strips', () => {
  it('fetches a video’s strip once and keeps its layout', async () => {
    const fetch = vi.fn(async () => new Response(new Blob([new Uint8Array([255, 216, 255])]), {
      status: 200,
      headers: { 'Content-Type': 'image/jpeg', 'Thumbnail-Frames': '7', 'Thumbnail-Interval': '0.88', 'Thumbnail-Width': '96', 'Thumbnail-Height': '54' },
    }));
    const store = createVideoStudioStore({ fetch, upload: () => { throw new Error('no upload in this test'); }, sleep: async () => undefined, storage: null });
    await Promise.all([store.getState().ensureThumbnails('v'), store.getState().ensureThumbnails('v')]);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(store.getState().thumbnails.v).toMatchObject({ status: 'ready', frames: 7, interval: 0.88, width: 96, height: 54 });
  });

  it('marks a failed strip and does not ask again', async () => {
    const fetch = vi.fn(async () => new Response('{"error":{"code":"no_video","message":"x"}}', { status: 422 }));
    const store = createVideoStudioStore({ fetch, upload: () => { throw new Error('no upload in this test'); }, sleep: async () => undefined, storage: null });
    await store.getState().ensureThumbnails('a');
    await store.getState().ensureThumbnails('a');
    expect(store.getState().thumbnails.a).toEqual({ status: 'failed' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
