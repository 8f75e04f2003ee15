// A small stateful stand-in for the HTTP contract (page.route), for browser tests of the editor:
// assets, timelines (save, list, get, delete, 409 for an asset a saved timeline uses), proxy renders
// with scripted job progress, waveforms. The media bytes are real files of shared/media.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { launch, serveDist, sharedMedia } from './support.mjs';

const MEDIA = sharedMedia();
const now = () => new Date().toISOString();

export function asset(id, filename, kind, duration, extra = {}) {
  return {
    asset_id: id, filename, kind, content_type: kind === 'audio' ? 'audio/mpeg' : 'video/mp4', size_bytes: 1000, duration_s: duration,
    has_audio: true, has_video: kind === 'video', width: kind === 'video' ? 1280 : null, height: kind === 'video' ? 720 : null,
    fps: kind === 'video' ? 25 : null, sample_rate: 48000, channels: 2, url: `/media/video_assets/${id}${kind === 'audio' ? '.mp3' : '.mp4'}`,
    waveformStatus: 'ready', created_at: now(), ...extra,
  };
}

export const VIDEO = () => asset('vid1', 'flower.mp4', 'video', 5.02);
export const ROAR = () => asset('aud1', 't-rex-roar.mp3', 'audio', 3.6);

/** A saved timeline as the server answers it. */
export function savedTimeline(id, name, tracks, extra = {}) {
  return { timeline_id: id, revision: 1, name, width: 1280, height: 720, fps: 30, tracks, proxy_preview: { status: 'none' }, created_at: now(), updated_at: now(), ...extra };
}

/** A waveform of `seconds` at `amplitude` (8-bit, 0..127). */
function waveform(seconds, amplitude) {
  const spp = 512;
  const rate = 48000;
  const length = Math.ceil((seconds * rate) / spp);
  const data = [];
  for (let i = 0; i < length; i++) {
    const a = Math.max(1, Math.round(amplitude * Math.abs(Math.sin(i / 15))));
    data.push(-a, a);
  }
  return { version: 2, channels: 1, sample_rate: rate, samples_per_pixel: spp, bits: 8, length, data };
}

/**
 * Opens the built page against the fake. {@code timelines}: saved ones; {@code remember}: the id the
 * tab remembers; {@code viewport}. Returns the page, the fake's state and its call log.
 */
export async function openStudio({ assets = [], timelines = [], remember = null, viewport = null, quiet = [] } = {}) {
  const site = await serveDist();
  const browser = await launch();
  const { page } = browser;
  if (viewport) await page.setViewportSize(viewport);
  const state = {
    assets: [...assets],
    timelines: new Map(timelines.map((t) => [t.timeline_id, t])),
    log: [],
    timelineDelayMs: 0,
    jobProgress: [],
    holdUploads: null,
    /** tus upload id -> the asset its last PATCH made */
    uploaded: new Map(),
    nextId: 1,
  };
  const sink = await uploadSink(state);
  if (remember) await page.addInitScript((id) => localStorage.setItem('videostudio.timeline_id', id), remember);
  const json = (route, status, body, headers = {}) => route.fulfill({ status, contentType: 'application/json', headers, body: body === undefined ? '' : JSON.stringify(body) });
  const used = (assetId) => [...state.timelines.values()].some((t) => t.tracks.some((tr) => tr.clips.some((c) => c.asset_id === assetId)));

  await page.route((url) => url.pathname.startsWith('/api/'), async (route) => {
    const req = route.request();
    const { pathname } = new URL(req.url());
    const method = req.method();
    state.log.push(`${method} ${pathname}`);
    let m;
    if (pathname === '/api/media/video-assets' && method === 'GET') return json(route, 200, state.assets);
    // tus (the page's uploads): create here; the PATCH with the bytes goes to a real socket (an
    // intercepted body reports no upload progress); the GET of a finished upload answers its asset.
    if (pathname === '/api/media/uploads' && method === 'POST') {
      const id = `tus${state.nextId++}`;
      return route.fulfill({ status: 201, headers: { Location: `/api/media/uploads/${id}`, 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0' } });
    }
    if ((m = /^\/api\/media\/uploads\/([^/]+)$/.exec(pathname))) {
      if (method === 'PATCH') return route.continue({ url: `${sink.url}${pathname}` });
      const done = state.uploaded.get(m[1]);
      if (method === 'GET' && done) return json(route, 200, done);
      if (method === 'DELETE') return route.fulfill({ status: 204, headers: { 'Tus-Resumable': '1.0.0' } });
      return json(route, 404, { error: { code: 'not_found', message: `no upload '${m[1]}'`, details: [] } });
    }
    if ((m = /^\/api\/media\/video-assets\/([^/]+)\/waveform$/.exec(pathname))) {
      const a = state.assets.find((x) => x.asset_id === m[1]);
      return json(route, 200, { asset_id: m[1], status: 'ready', waveform: waveform(a?.duration_s ?? 5, quiet.includes(m[1]) ? 2 : 100) });
    }
    if ((m = /^\/api\/media\/video-assets\/([^/]+)$/.exec(pathname)) && method === 'DELETE') {
      if (used(m[1])) return json(route, 409, { error: { code: 'asset_in_use', message: `asset '${m[1]}' is used by a saved timeline; remove it from the timeline first`, details: [] } });
      state.assets = state.assets.filter((a) => a.asset_id !== m[1]);
      return json(route, 204);
    }
    if (pathname === '/api/generate/video/timeline' && method === 'GET') return json(route, 200, [...state.timelines.values()]);
    if (pathname === '/api/generate/video/timeline' && method === 'POST') {
      const body = req.postDataJSON();
      const before = body.timeline_id ? state.timelines.get(body.timeline_id) : null;
      const id = body.timeline_id ?? `new${state.nextId++}`;
      const saved = { ...savedTimeline(id, body.name, body.tracks), ...body, timeline_id: id, revision: (before?.revision ?? 0) + 1, proxy_preview: before?.proxy_preview ?? { status: 'none' }, updated_at: now() };
      if (before && JSON.stringify(before.tracks) !== JSON.stringify(body.tracks) && saved.proxy_preview.status === 'ready') saved.proxy_preview = { ...saved.proxy_preview, status: 'stale' };
      state.timelines.set(id, saved);
      return json(route, before ? 200 : 201, saved);
    }
    if ((m = /^\/api\/generate\/video\/timeline\/([^/]+)$/.exec(pathname))) {
      const t = state.timelines.get(m[1]);
      if (method === 'DELETE') {
        state.timelines.delete(m[1]);
        return t ? json(route, 204) : json(route, 404, { error: { code: 'not_found', message: 'no such timeline', details: [] } });
      }
      if (state.timelineDelayMs) await new Promise((ok) => setTimeout(ok, state.timelineDelayMs));
      return t ? json(route, 200, t) : json(route, 404, { error: { code: 'not_found', message: 'no such timeline', details: [] } });
    }
    if ((m = /^\/api\/generate\/video\/timeline\/([^/]+)\/proxy$/.exec(pathname))) {
      const t = state.timelines.get(m[1]);
      if (method === 'POST') {
        t.proxy_preview = { status: 'processing' };
        return json(route, 202, { status: 'processing', job_id: `pj-${m[1]}`, progress: 0 }, { 'Retry-After': '1' });
      }
      return json(route, 200, t.proxy_preview);
    }
    if ((m = /^\/api\/jobs\/pj-(.+)$/.exec(pathname))) {
      const next = state.jobProgress.length ? state.jobProgress.shift() : 1;
      const t = state.timelines.get(m[1]);
      if (next >= 1) t.proxy_preview = { status: 'ready', url: `/media/video_proxies/${m[1]}.webm?v=${t.revision}` };
      return json(route, 200, { job_id: `pj-${m[1]}`, type: 'video_proxy', status: next >= 1 ? 'ready' : 'processing', progress: next, created_at: now(), updated_at: now() });
    }
    return json(route, 404, { error: { code: 'not_found', message: `no route ${pathname}`, details: [] } });
  });
  await page.route((url) => url.pathname.startsWith('/media/'), (route) => {
    const { pathname } = new URL(route.request().url());
    const file = pathname.startsWith('/media/video_proxies/') ? 'flower.webm' : pathname.endsWith('.mp3') ? 't-rex-roar.mp3' : 'flower.mp4';
    const type = file.endsWith('.webm') ? 'video/webm' : file.endsWith('.mp3') ? 'audio/mpeg' : 'video/mp4';
    const bytes = readFileSync(join(MEDIA, file));
    const range = /bytes=(\d+)-(\d*)/.exec(route.request().headers()['range'] ?? '');
    if (!range) return route.fulfill({ status: 200, contentType: type, headers: { 'Accept-Ranges': 'bytes' }, body: bytes });
    const from = Number(range[1]);
    const to = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
    return route.fulfill({ status: 206, contentType: type, headers: { 'Accept-Ranges': 'bytes', 'Content-Range': `bytes ${from}-${to}/${bytes.length}` }, body: bytes.subarray(from, to + 1) });
  });
  await page.goto(site.url);
  return {
    page,
    state,
    errors: browser.errors,
    async close() {
      await browser.close();
      await site.close();
      await sink.close();
    },
  };
}

/**
 * Takes the tus PATCH of a whole file on a loopback port: reads the body, waits for
 * {@code state.holdUploads}, makes the asset and answers as the server does (204, the new offset).
 */
async function uploadSink(state) {
  const server = createServer((req, res) => {
    let length = 0;
    req.on('data', (chunk) => (length += chunk.length));
    req.on('end', async () => {
      if (state.holdUploads) await state.holdUploads;
      const a = asset(`up${state.nextId++}`, 'flower.mp4', 'video', 5.02);
      state.assets.push(a);
      state.uploaded.set(req.url.slice(req.url.lastIndexOf('/') + 1), a);
      res.writeHead(204, {
        'Tus-Resumable': '1.0.0', 'Upload-Offset': String(length), 'Asset-Id': a.asset_id,
        'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Upload-Offset, Tus-Resumable, Asset-Id',
      });
      res.end();
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** A timeline with one clip per entry [trackIndex, assetId, start, in, out] and a ready proxy. */
export function withClips(id, name, clips, { proxy = true } = {}) {
  const tracks = [
    { id: 'v1', kind: 'video', clips: [] },
    { id: 'a1', kind: 'audio', clips: [] },
  ];
  clips.forEach(([track, assetId, start, inPoint, out], i) => tracks[track].clips.push({ id: `c${i}`, asset_id: assetId, start, in: inPoint, out }));
  return savedTimeline(id, name, tracks, proxy ? { proxy_preview: { status: 'ready', url: `/media/video_proxies/${id}.webm?v=1` } } : {});
}
