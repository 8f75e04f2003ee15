// Unit tests of the store's own logic: fetch is mocked with scripted answers of the HTTP contract.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createVideoStudioStore } from '../src/store';
import { ApiError, type Asset } from '../src/api';
import type { Uploader, UploadProgress } from '../src/uploads';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** A fetch that answers from per-route queues ("GET /path") and records every call. */
function scriptedFetch() {
  const routes = new Map<string, Answer[]>();
  const calls: { method: string; path: string; body: unknown }[] = [];
  const fetch = vi.fn(async (input: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push({ method, path: input, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const queue = routes.get(`${method} ${input}`);
    if (!queue || queue.length === 0) throw new Error(`unexpected call ${method} ${input}`);
    const a = queue.length > 1 ? queue.shift()! : queue[0];
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), {
      status: a.status,
      headers: { 'Content-Type': 'application/json', ...(a.headers ?? {}) },
    });
  });
  const on = (route: string, ...answers: Answer[]) => routes.set(route, answers);
  return { fetch, calls, on, callsTo: (route: string) => calls.filter((c) => `${c.method} ${c.path}` === route).length };
}

const asset = (id: string, extra: Partial<Asset> = {}): Asset => ({
  asset_id: id,
  filename: `${id}.mp4`,
  kind: 'video',
  content_type: 'video/mp4',
  size_bytes: 1000,
  duration_s: 10,
  has_audio: true,
  has_video: true,
  width: 640,
  height: 360,
  fps: 25,
  sample_rate: 48000,
  channels: 2,
  url: `/media/video_assets/${id}.mp4`,
  waveformStatus: 'idle',
  created_at: '2026-11-25T10:00:00Z',
  stored_name: `${id}.mp4`,
  demuxer: 'mov,mp4,m4a,3gp,3g2,mj2',
  ...extra,
});

const waveform = { version: 2, channels: 1, sample_rate: 48000, samples_per_pixel: 256, bits: 8, length: 2, data: [-10, 12, -3, 4] };
const err = (code: string, message: string, details: { path: string; message: string }[] = []) => ({ error: { code, message, details } });

let api: ReturnType<typeof scriptedFetch>;
let sleeps: number[];
/** When set, waits of a second or more (job polls) hold until it resolves. */
let sleepGate: Promise<void> | null = null;

function makeStore(upload?: Uploader, events?: (url: string) => FakeEventSource) {
  return createVideoStudioStore({
    fetch: api.fetch,
    upload: upload ?? (() => { throw new Error('no upload in this test'); }),
    events: events ?? null,
    sleep: async (ms) => {
      sleeps.push(ms);
      if (ms >= 1000 && sleepGate) await sleepGate;
    },
    storage: null,
  });
}

beforeEach(() => {
  api = scriptedFetch();
  sleeps = [];
  sleepGate = null;
});

describe('assets', () => {
  it('loads the list, newest first', async () => {
    api.on('GET /api/media/video-assets', { status: 200, body: [asset('a', { created_at: '2026-01-01T00:00:00Z' }), asset('b', { created_at: '2026-02-01T00:00:00Z' })] });
    const store = makeStore();
    await store.getState().loadAssets();
    expect(store.getState().assetsStatus).toBe('ready');
    expect(store.getState().assets.map((a) => a.asset_id)).toEqual(['b', 'a']);
  });

  it('keeps the error body of a failed list', async () => {
    api.on('GET /api/media/video-assets', { status: 503, body: err('unavailable', 'Try later') });
    const store = makeStore();
    await store.getState().loadAssets();
    expect(store.getState().assetsStatus).toBe('failed');
    expect(store.getState().assetsError).toMatchObject({ code: 'unavailable', message: 'Try later' });
  });

  it('uploads with progress and adds the asset', async () => {
    const fake = new FakeUploader();
    const store = makeStore(fake.uploader);
    const done = store.getState().uploadFiles([new File([new Uint8Array(100)], 'clip.mp4')]);
    expect(fake.files.map((f) => f.name)).toEqual(['clip.mp4']);
    fake.progress({ loaded: 40, total: 100 });
    expect(store.getState().uploads[0]).toMatchObject({ filename: 'clip.mp4', loaded: 40, total: 100, status: 'uploading' });
    fake.resolve(asset('new'));
    await done;
    expect(store.getState().uploads).toEqual([]);
    expect(store.getState().assets.map((a) => a.asset_id)).toEqual(['new']);
  });

  it('cancels an upload and forgets it', async () => {
    const fake = new FakeUploader();
    const store = makeStore(fake.uploader);
    const done = store.getState().uploadFiles([new File([new Uint8Array(10)], 'big.mov')]);
    store.getState().cancelUpload(store.getState().uploads[0].id);
    await done;
    expect(fake.aborted).toBe(true);
    expect(store.getState().uploads).toEqual([]);
  });

  it('shows the server error of a rejected upload', async () => {
    const fake = new FakeUploader();
    const store = makeStore(fake.uploader);
    const done = store.getState().uploadFiles([new File(['#EXTM3U'], 'list.m3u8')]);
    fake.reject(new ApiError(415, err('unsupported_media', 'Not an audio, video or image file').error));
    await done;
    expect(store.getState().uploads[0]).toMatchObject({ status: 'failed', error: { code: 'unsupported_media' } });
    expect(store.getState().assets).toEqual([]);
  });
});

describe('waveforms', () => {
  it('goes loading, then polls while processing, then ready', async () => {
    const path = 'GET /api/media/video-assets/a/waveform';
    api.on(
      path,
      { status: 202, body: { status: 'processing', job_id: 'j1', progress: 0.1 }, headers: { 'Retry-After': '1' } },
      { status: 202, body: { status: 'processing', job_id: 'j1', progress: 0.6 }, headers: { 'Retry-After': '2' } },
      { status: 200, body: { asset_id: 'a', status: 'ready', waveform } },
    );
    const store = makeStore();
    const seen: string[] = [];
    store.subscribe((s) => {
      const w = s.waveforms.a;
      const label = w ? (w.status === 'processing' ? `processing ${w.progress}` : w.status) : 'none';
      if (seen[seen.length - 1] !== label) seen.push(label);
    });
    const done = store.getState().ensureWaveform('a');
    expect(store.getState().waveforms.a).toEqual({ status: 'loading' });
    await done;
    expect(seen).toEqual(['loading', 'processing 0.1', 'processing 0.6', 'ready']);
    expect(sleeps).toEqual([1000, 2000]);
    expect(store.getState().waveforms.a).toMatchObject({ status: 'ready', source: 'server', waveform: { data: [-10, 12, -3, 4] } });
    expect(api.callsTo(path)).toBe(3);
  });

  it('asks once for an asset whatever the number of visible clips', async () => {
    api.on('GET /api/media/video-assets/a/waveform', { status: 200, body: { asset_id: 'a', status: 'ready', waveform } });
    const store = makeStore();
    await Promise.all([store.getState().ensureWaveform('a'), store.getState().ensureWaveform('a')]);
    await store.getState().ensureWaveform('a');
    expect(api.calls.length).toBe(1);
  });

  it('shows failed, and a retry POSTs then polls to ready', async () => {
    api.on('GET /api/media/video-assets/a/waveform', { status: 200, body: { status: 'failed', error: { code: 'ffmpeg_failed', message: 'decoder error' } } });
    const store = makeStore();
    await store.getState().ensureWaveform('a');
    expect(store.getState().waveforms.a).toMatchObject({ status: 'failed', error: { code: 'ffmpeg_failed', message: 'decoder error' } });

    api.on('POST /api/media/video-assets/a/waveform', { status: 202, body: { status: 'processing', job_id: 'j2', progress: 0 } });
    api.on('GET /api/media/video-assets/a/waveform', { status: 200, body: { asset_id: 'a', status: 'ready', waveform } });
    await store.getState().retryWaveform('a');
    expect(api.callsTo('POST /api/media/video-assets/a/waveform')).toBe(1);
    expect(store.getState().waveforms.a.status).toBe('ready');
    expect(sleeps).toEqual([1000]); // no Retry-After: the default poll interval
  });

  it('says no_audio on 422 and does not retry by itself', async () => {
    api.on('GET /api/media/video-assets/n/waveform', { status: 422, body: err('no_audio', 'This asset has no audio stream') });
    const store = makeStore();
    await store.getState().ensureWaveform('n');
    await store.getState().ensureWaveform('n');
    expect(store.getState().waveforms.n).toMatchObject({ status: 'no_audio', error: { message: 'This asset has no audio stream' } });
    expect(api.calls.length).toBe(1);
  });

  it('turns an unknown asset or a dead server into failed with the message', async () => {
    api.on('GET /api/media/video-assets/x/waveform', { status: 404, body: err('not_found', 'No asset x') });
    api.fetch.mockImplementationOnce(async () => {
      throw new TypeError('Failed to fetch');
    });
    const store = makeStore();
    await store.getState().ensureWaveform('y');
    expect(store.getState().waveforms.y).toMatchObject({ status: 'failed', error: { code: 'network' } });
    await store.getState().ensureWaveform('x');
    expect(store.getState().waveforms.x).toMatchObject({ status: 'failed', error: { code: 'not_found', message: 'No asset x' } });
  });
});

/** A store with two assets and a clip of each on the default tracks. */
async function storeWithTimeline(events?: (url: string) => FakeEventSource) {
  api.on('GET /api/media/video-assets', { status: 200, body: [asset('v'), asset('m', { kind: 'audio', has_video: false, duration_s: 30 })] });
  const store = makeStore(undefined, events);
  await store.getState().loadAssets();
  store.getState().addClip('v');
  store.getState().addClip('m');
  return store;
}

const saved = (revision: number, proxy_preview: unknown = { status: 'none' }) => ({ status: 200, body: { timeline_id: 't1', revision, proxy_preview, name: 'x', width: 1280, height: 720, fps: 30, tracks: [] } });

describe('timeline and proxy preview', () => {
  it('places clips on the track of their kind without overlap', async () => {
    const store = await storeWithTimeline();
    const vid = store.getState().addClip('v')!;
    const [video, audio] = store.getState().timeline.tracks;
    expect(video.clips.map((c) => [c.start, c.in, c.out])).toEqual([[0, 0, 10], [10, 0, 10]]);
    expect(audio.clips.map((c) => [c.start, c.out])).toEqual([[0, 30]]);
    store.getState().moveClip(vid, 4); // would overlap the first clip: snaps after it
    expect(store.getState().timeline.tracks[0].clips[1].start).toBe(10);
    store.getState().trimClip(vid, 'start', 12);
    expect(store.getState().timeline.tracks[0].clips[1]).toMatchObject({ start: 12, in: 2, out: 10 });
    store.getState().trimClip(vid, 'end', 99); // not past the source's end
    expect(store.getState().timeline.tracks[0].clips[1]).toMatchObject({ out: 10 });
  });

  it('saves, renders, and serves the second request from the cache with no API call', async () => {
    const store = await storeWithTimeline();
    api.on('POST /api/generate/video/timeline', saved(1));
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 202, body: { status: 'processing', job_id: 'p1', progress: 0 }, headers: { 'Retry-After': '1' } });
    api.on(
      'GET /api/jobs/p1',
      { status: 200, body: { job_id: 'p1', type: 'video_proxy', status: 'processing', progress: 0.5 }, headers: { 'Retry-After': '2' } },
      { status: 200, body: { job_id: 'p1', type: 'video_proxy', status: 'ready', progress: 1 } },
    );
    api.on('GET /api/generate/video/timeline/t1/proxy', { status: 200, body: { status: 'ready', url: '/media/video_proxies/t1.webm?v=1' } });
    const progress: (number | null)[] = [];
    store.subscribe((st) => {
      if (st.proxy.status === 'processing' && progress[progress.length - 1] !== st.proxy.progress) progress.push(st.proxy.progress);
    });
    const url = await store.getState().requestProxyPreview();
    expect(progress).toEqual([0, 0.5]);
    // a first short wait for a live stream (the state names another job's result: no more of that),
    // then the Retry-After of the job
    expect(sleeps).toEqual([100, 2000]);
    expect(url).toBe('/media/video_proxies/t1.webm?v=1');
    expect(store.getState().proxy).toMatchObject({ status: 'ready', url, error: null });
    expect(api.calls.find((c) => c.method === 'POST' && c.path === '/api/generate/video/timeline/t1/proxy')!.body).toEqual({ force: false });
    const sentTimeline = api.calls.find((c) => c.path === '/api/generate/video/timeline')!.body as { tracks: { clips: unknown[] }[] };
    expect(sentTimeline.tracks.map((t) => t.clips.length)).toEqual([1, 1]);

    const before = api.calls.length;
    expect(await store.getState().requestProxyPreview()).toBe(url);
    expect(api.calls.length).toBe(before);
  });

  it('a running render\'s live stream is taken from the proxy state, and a seek asks for its part first', async () => {
    const store = await storeWithTimeline();
    api.on('POST /api/generate/video/timeline', saved(1));
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 202, body: { status: 'processing', job_id: 'p1', progress: 0 }, headers: { 'Retry-After': '1' } });
    const live = '/media/video_proxies/t1.live-p1.m3u8';
    api.on(
      'GET /api/generate/video/timeline/t1/proxy',
      { status: 200, body: { status: 'processing', job_id: 'p1', progress: 0.01 } },
      { status: 200, body: { status: 'processing', job_id: 'p1', progress: 0.05, stream_url: live, stream_start: 0 } },
      { status: 200, body: { status: 'ready', url: '/media/video_proxies/t1.webm?v=1' } },
    );
    let release!: () => void;
    sleepGate = new Promise<void>((r) => (release = r)); // the job stays processing until released
    api.on('GET /api/jobs/p1', { status: 200, body: { job_id: 'p1', type: 'video_proxy', status: 'processing', progress: 0.5 } });
    const streams: unknown[] = [];
    store.subscribe((st) => {
      if (st.proxy.stream && streams[streams.length - 1] !== st.proxy.stream) streams.push(st.proxy.stream);
    });
    const rendering = store.getState().requestProxyPreview();
    while (!store.getState().proxy.stream) await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().proxy).toMatchObject({ status: 'processing', stream: { url: live, start: 0 } });
    expect(sleeps.slice(0, 2)).toEqual([100, 100]); // the state polled often until the stream came

    // a seek into a part not rendered yet: no stream for it at first, then one that starts there
    const seekStream = '/media/video_proxies/t1.live-p1.from-7.m3u8';
    api.on(
      'POST /api/generate/video/timeline/t1/proxy',
      { status: 202, body: { status: 'processing', job_id: 'p1', progress: 0.1 } },
      { status: 202, body: { status: 'processing', job_id: 'p1', progress: 0.2, stream_url: seekStream, stream_start: 10 } },
    );
    await store.getState().seekLiveStream(10.5);
    const seeks = api.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/proxy')).slice(1);
    expect(seeks.map((c) => c.body)).toEqual([{ force: false, from: 10.5 }, { force: false, from: 10.5 }]);
    expect(store.getState().proxy.stream).toEqual({ url: seekStream, start: 10 });

    api.on('GET /api/jobs/p1', { status: 200, body: { job_id: 'p1', type: 'video_proxy', status: 'ready', progress: 1 } });
    release();
    expect(await rendering).toBe('/media/video_proxies/t1.webm?v=1');
    expect(store.getState().proxy).toMatchObject({ status: 'ready', stream: null }); // the final file takes over
    expect(streams).toHaveLength(2);
  });

  it('force asks the server for a new render even when cached', async () => {
    const store = await storeWithTimeline();
    api.on('POST /api/generate/video/timeline', saved(1));
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 200, body: { status: 'ready', url: '/media/video_proxies/t1.webm?v=1', cached: true } });
    await store.getState().requestProxyPreview();
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 202, body: { status: 'processing', job_id: 'p2', progress: 0 } });
    api.on('GET /api/jobs/p2', { status: 200, body: { job_id: 'p2', status: 'ready', progress: 1 } });
    api.on('GET /api/generate/video/timeline/t1/proxy', { status: 200, body: { status: 'ready', url: '/media/video_proxies/t1.webm?v=2' } });
    const forced = store.getState().requestProxyPreview({ force: true });
    expect(store.getState().proxy).toMatchObject({ status: 'processing', url: '/media/video_proxies/t1.webm?v=1' }); // keeps the old video
    expect(await forced).toBe('/media/video_proxies/t1.webm?v=2');
    const posts = api.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/proxy'));
    expect(posts.map((c) => c.body)).toEqual([{ force: false }, { force: true }]);
    expect(api.callsTo('POST /api/generate/video/timeline')).toBe(1); // unchanged timeline: not saved again
  });

  it('an edit makes the proxy stale and the next request saves and renders again; undoing it is fresh again', async () => {
    const store = await storeWithTimeline();
    api.on('POST /api/generate/video/timeline', saved(1));
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 200, body: { status: 'ready', url: '/p?v=1', cached: true } });
    await store.getState().requestProxyPreview();
    const clip = store.getState().timeline.tracks[0].clips[0];
    store.getState().moveClip(clip.id, 3);
    expect(store.getState().proxy).toMatchObject({ status: 'stale', url: '/p?v=1' });
    expect(store.getState().save.status).toBe('unsaved');

    store.getState().moveClip(clip.id, 0);
    expect(store.getState().proxy.status).toBe('ready');
    store.getState().trimClip(clip.id, 'end', 5);
    expect(store.getState().proxy.status).toBe('stale');

    api.on('POST /api/generate/video/timeline', saved(2));
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 200, body: { status: 'ready', url: '/p?v=2', cached: false } });
    expect(await store.getState().requestProxyPreview()).toBe('/p?v=2');
    expect(api.callsTo('POST /api/generate/video/timeline')).toBe(2);
    const second = api.calls.filter((c) => c.path === '/api/generate/video/timeline')[1].body as Record<string, unknown>;
    expect(second.timeline_id).toBe('t1');
    expect(store.getState().proxy).toMatchObject({ status: 'ready', url: '/p?v=2' });
  });

  it('changing the size or frame rate is an edit: saved with the timeline, proxy stale', async () => {
    const store = await storeWithTimeline();
    api.on('POST /api/generate/video/timeline', saved(1));
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 200, body: { status: 'ready', url: '/p?v=1', cached: true } });
    await store.getState().requestProxyPreview();
    store.getState().setFormat({ width: 1080, height: 1920, fps: 25 });
    expect(store.getState().proxy.status).toBe('stale');
    api.on('POST /api/generate/video/timeline', saved(2));
    await store.getState().saveTimeline();
    expect(api.calls.filter((c) => c.path === '/api/generate/video/timeline')[1].body).toMatchObject({ width: 1080, height: 1920, fps: 25 });
  });

  it('an edit during a render leaves the finished proxy stale', async () => {
    const store = await storeWithTimeline();
    api.on('POST /api/generate/video/timeline', saved(1));
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 202, body: { status: 'processing', job_id: 'p1', progress: 0 } });
    api.on('GET /api/jobs/p1', { status: 200, body: { job_id: 'p1', status: 'ready', progress: 1 } });
    // the server already holds the newer edit: its proxy is the finished render, stale for it
    api.on('GET /api/generate/video/timeline/t1/proxy', { status: 200, body: { status: 'stale', url: '/p?v=1' } });
    const pending = store.getState().requestProxyPreview();
    store.getState().removeClip(store.getState().timeline.tracks[1].clips[0].id);
    await pending;
    expect(store.getState().proxy).toMatchObject({ status: 'stale', url: '/p?v=1' });
  });

  it('a 422 on save fails the preview with the details naming the paths', async () => {
    const store = await storeWithTimeline();
    api.on('POST /api/generate/video/timeline', { status: 422, body: err('invalid_timeline', 'The timeline is invalid', [{ path: 'tracks[0].clips[0].out', message: 'beyond the source' }]) });
    await expect(store.getState().requestProxyPreview()).rejects.toMatchObject({ status: 422, code: 'invalid_timeline' });
    expect(store.getState().save).toMatchObject({ status: 'invalid', details: [{ path: 'tracks[0].clips[0].out', message: 'beyond the source' }] });
    expect(store.getState().proxy).toMatchObject({ status: 'failed', error: { code: 'invalid_timeline' } });
    expect(api.calls.some((c) => c.path.endsWith('/proxy'))).toBe(false);
  });

  it('a failed render shows its error and keeps the previous video', async () => {
    const store = await storeWithTimeline();
    api.on('POST /api/generate/video/timeline', saved(1));
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 200, body: { status: 'ready', url: '/p?v=1', cached: true } });
    await store.getState().requestProxyPreview();
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 202, body: { status: 'processing', job_id: 'p2', progress: 0.2 } });
    api.on('GET /api/jobs/p2', { status: 200, body: { job_id: 'p2', status: 'failed', progress: 0.4, error: { code: 'ffmpeg_failed', message: 'encoder crashed' } } });
    await expect(store.getState().requestProxyPreview({ force: true })).rejects.toMatchObject({ message: 'encoder crashed' });
    expect(store.getState().proxy).toMatchObject({ status: 'failed', url: '/p?v=1', error: { message: 'encoder crashed' } });
  });

  it('a cancelled job fails with a clear message', async () => {
    const store = await storeWithTimeline();
    api.on('POST /api/generate/video/timeline', saved(1));
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 202, body: { status: 'processing', job_id: 'p1', progress: 0 } });
    api.on('GET /api/jobs/p1', { status: 200, body: { job_id: 'p1', status: 'cancelled', progress: 0.3 } });
    await expect(store.getState().requestProxyPreview()).rejects.toMatchObject({ code: 'cancelled' });
    expect(store.getState().proxy).toMatchObject({ status: 'failed', error: { code: 'cancelled' } });
  });

  it('loading a saved timeline adopts its ready proxy, and joins a running render', async () => {
    const tracks = [{ id: 'v1', kind: 'video', clips: [{ id: 'c1', asset_id: 'v', start: 0, in: 0, out: 4 }] }];
    const body = (proxy_preview: unknown) => ({ timeline_id: 't1', revision: 3, name: 'Cut', width: 1280, height: 720, fps: 30, tracks, proxy_preview });
    api.on('GET /api/generate/video/timeline/t1', { status: 200, body: body({ status: 'ready', url: '/p?v=3', revision: 3 }) });
    const store = makeStore();
    await store.getState().loadTimeline('t1');
    expect(store.getState().timeline).toMatchObject({ timeline_id: 't1', revision: 3, name: 'Cut' });
    expect(store.getState().save.status).toBe('saved');
    expect(await store.getState().requestProxyPreview()).toBe('/p?v=3');
    expect(api.calls.length).toBe(1); // the cached proxy: no request

    api.on('GET /api/generate/video/timeline/t1', { status: 200, body: body({ status: 'processing', revision: 3, progress: 0.2 }) });
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 202, body: { status: 'processing', job_id: 'p9', progress: 0.3 } });
    api.on('GET /api/jobs/p9', { status: 200, body: { job_id: 'p9', status: 'ready', progress: 1 } });
    api.on('GET /api/generate/video/timeline/t1/proxy', { status: 200, body: { status: 'ready', url: '/p?v=4' } });
    const other = makeStore();
    await other.getState().loadTimeline('t1');
    await vi.waitFor(() => expect(other.getState().proxy).toMatchObject({ status: 'ready', url: '/p?v=4' }));
    expect(api.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/api/generate/video/timeline/t1/proxy']);
  });

  it('a full queue (429) fails the request with the server message', async () => {
    const store = await storeWithTimeline();
    api.on('POST /api/generate/video/timeline', saved(1));
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 429, body: err('queue_full', 'Too many jobs'), headers: { 'Retry-After': '5' } });
    await expect(store.getState().requestProxyPreview()).rejects.toMatchObject({ status: 429 });
    expect(store.getState().proxy).toMatchObject({ status: 'failed', error: { code: 'queue_full', message: 'Too many jobs' } });
  });

  it('refuses an empty timeline without calling the server', async () => {
    const store = makeStore();
    await expect(store.getState().requestProxyPreview()).rejects.toMatchObject({ code: 'empty_timeline' });
    expect(api.calls.length).toBe(0);
  });

  it('two requests for the same content share one render', async () => {
    const store = await storeWithTimeline();
    api.on('POST /api/generate/video/timeline', saved(1));
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 202, body: { status: 'processing', job_id: 'p1', progress: 0 } });
    api.on('GET /api/jobs/p1', { status: 200, body: { job_id: 'p1', status: 'ready', progress: 1 } });
    api.on('GET /api/generate/video/timeline/t1/proxy', { status: 200, body: { status: 'ready', url: '/p?v=1' } });
    const [a, b] = await Promise.all([store.getState().requestProxyPreview(), store.getState().requestProxyPreview()]);
    expect(a).toBe(b);
    expect(api.callsTo('POST /api/generate/video/timeline/t1/proxy')).toBe(1);
    expect(api.callsTo('POST /api/generate/video/timeline')).toBe(1);
  });
});

describe('jobs through server-sent events', () => {
  const job = (status: string, progress: number) => ({ job_id: 'p1', type: 'video_proxy', status, progress, error: null });
  const renderStarted = () => {
    api.on('POST /api/generate/video/timeline', saved(1));
    api.on('POST /api/generate/video/timeline/t1/proxy', { status: 202, body: { status: 'processing', job_id: 'p1', progress: 0 }, headers: { 'Retry-After': '1' } });
    api.on('GET /api/generate/video/timeline/t1/proxy', { status: 200, body: { status: 'ready', url: '/media/video_proxies/t1.webm?v=1' } });
  };
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 0));
  };

  it('follows the render on its event stream: ready at the final event, no polling, no waiting', async () => {
    const sources: FakeEventSource[] = [];
    const store = await storeWithTimeline((url) => sources[sources.push(new FakeEventSource(url)) - 1]);
    renderStarted();
    const done = store.getState().requestProxyPreview();
    await until(() => sources.length > 0);
    expect(sources[0].url).toBe('/api/jobs/p1/events');
    sources[0].emit(job('processing', 0.4));
    expect(store.getState().proxy).toMatchObject({ status: 'processing', progress: 0.4, jobId: 'p1' });
    sources[0].emit(job('ready', 1));
    expect(await done).toBe('/media/video_proxies/t1.webm?v=1');
    expect(sources[0].closed).toBe(true);
    expect(api.callsTo('GET /api/jobs/p1')).toBe(0);
    // no wait for the job; the only sleeps are the short looks for a live stream beside the events
    expect(sleeps.filter((ms) => ms !== 100)).toEqual([]);
    expect(sleeps.length).toBeLessThanOrEqual(1);
  });

  it('falls back to polling when the stream fails', async () => {
    const sources: FakeEventSource[] = [];
    const store = await storeWithTimeline((url) => sources[sources.push(new FakeEventSource(url)) - 1]);
    renderStarted();
    api.on('GET /api/jobs/p1', { status: 200, body: job('ready', 1) });
    const done = store.getState().requestProxyPreview();
    await until(() => sources.length > 0);
    sources[0].fail();
    expect(await done).toBe('/media/video_proxies/t1.webm?v=1');
    expect(sources[0].closed).toBe(true);
    expect(api.callsTo('GET /api/jobs/p1')).toBe(1);
  });

  it('cancels a running render with DELETE on its job and says so', async () => {
    const sources: FakeEventSource[] = [];
    const store = await storeWithTimeline((url) => sources[sources.push(new FakeEventSource(url)) - 1]);
    renderStarted();
    api.on('DELETE /api/jobs/p1', { status: 200, body: job('cancelled', 0.2) });
    const done = store.getState().requestProxyPreview();
    await until(() => sources.length > 0);
    await store.getState().cancelRender();
    expect(api.callsTo('DELETE /api/jobs/p1')).toBe(1);
    sources[0].emit(job('cancelled', 0.2));
    await expect(done).rejects.toMatchObject({ code: 'cancelled' });
    expect(store.getState().proxy).toMatchObject({ status: 'failed', error: { code: 'cancelled', message: 'The render was cancelled.' } });
  });
});

/** Stands for tus-js-client: records the files and lets the test drive progress and the outcome. */
class FakeUploader {
  files: File[] = [];
  aborted = false;
  private onProgress: (p: UploadProgress) => void = () => undefined;
  private settle: { resolve: (a: Asset) => void; reject: (e: ApiError) => void } | null = null;
  uploader: Uploader = (file, onProgress) => {
    this.files.push(file);
    this.onProgress = onProgress;
    const promise = new Promise<Asset>((resolve, reject) => (this.settle = { resolve, reject }));
    return {
      promise,
      abort: () => {
        this.aborted = true;
        this.settle?.reject(new ApiError(0, { code: 'aborted', message: 'The upload was cancelled.' }));
      },
    };
  };
  progress(p: UploadProgress) {
    this.onProgress(p);
  }
  resolve(a: Asset) {
    this.settle?.resolve(a);
  }
  reject(e: ApiError) {
    this.settle?.reject(e);
  }
}

/** A job's event stream driven by the test. */
class FakeEventSource {
  private listeners: ((e: { data: string }) => void)[] = [];
  onerror: ((e: unknown) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(_type: 'job', listener: (e: { data: string }) => void) {
    this.listeners.push(listener);
  }
  close() {
    this.closed = true;
  }
  emit(job: unknown) {
    this.listeners.forEach((l) => l({ data: JSON.stringify(job) }));
  }
  fail() {
    this.onerror?.(new Event('error'));
  }
}
