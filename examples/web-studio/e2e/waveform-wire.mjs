// What the studio page downloads for waveforms, measured in Chromium: shared by the tiles e2e test
// and bench/waveform-serve. Bytes are Chromium's own count of what came over the wire
// (DevTools protocol, encodedDataLength: headers and the body as sent, compressed or not).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Uploads a file through the multipart endpoint; returns the asset. */
export async function upload(base, file) {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(file)]), basename(file));
  const r = await fetch(`${base}/api/media/video-assets`, { method: 'POST', body: form });
  if (r.status !== 201) throw new Error(`upload of ${file}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** Starts the waveform job and waits until it is ready (asking for a small level, not the full JSON). */
export async function awaitWaveform(base, assetId, timeoutMs = 120_000) {
  const url = `${base}/api/media/video-assets/${assetId}/waveform?samples_per_pixel=65536&format=dat`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await fetch(url);
    await r.arrayBuffer();
    if (r.status === 200) return Date.now();
    if (r.status !== 202) throw new Error(`waveform of ${assetId}: ${r.status}`);
    if (Date.now() > deadline) throw new Error(`waveform of ${assetId} not ready in ${timeoutMs} ms`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/** Saves a timeline with the whole asset as one clip on an audio track; returns its id. */
export async function timelineWith(base, asset) {
  const body = { name: 'wire', tracks: [{ id: 'a1', kind: 'audio', clips: [{ id: 'c1', asset_id: asset.asset_id, start: 0, in: 0, out: asset.duration_s }] }] };
  const r = await fetch(`${base}/api/generate/video/timeline`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status !== 201) throw new Error(`timeline: ${r.status} ${await r.text()}`);
  return (await r.json()).timeline_id;
}

/** Counts the waveform requests of a page and the bytes each brought over the wire. */
export async function wireMeter(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const all = [];
  const byId = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!e.request.url.includes('/waveform')) return;
    const r = { url: e.request.url, status: 0, bytes: 0, cached: false, done: false };
    byId.set(e.requestId, r);
    all.push(r);
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const r = byId.get(e.requestId);
    if (r) r.cached = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = byId.get(e.requestId);
    if (!r) return;
    r.status = e.response.status;
    r.cached ||= Boolean(e.response.fromDiskCache || e.response.fromPrefetchCache);
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = byId.get(e.requestId);
    if (!r) return;
    r.bytes = e.encodedDataLength;
    r.done = true;
  });
  return {
    mark: () => all.length,
    since: (mark) => all.slice(mark),
    bytes: (list) => list.reduce((n, r) => n + r.bytes, 0),
    /** Waits until every request seen has finished. */
    async settle() {
      const deadline = Date.now() + 30_000;
      while (all.some((r) => !r.done) && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 20));
    },
  };
}

/** Opens the page on a saved timeline (as after a reload: the id is remembered in localStorage). */
export async function openTimeline(page, base, timelineId) {
  await page.goto(base);
  await page.evaluate((id) => localStorage.setItem('videostudio.timeline_id', id), timelineId);
  await page.reload();
}

/** Waits until the clip's waveform is drawn with nothing missing, at {@code level} when given. */
export async function awaitDrawn(page, level, timeout = 60_000) {
  const sel = `[data-testid=lane-a1] [data-testid=waveform-canvas][data-missing="0"]${level ? `[data-level="${level}"]` : ''}`;
  await page.locator(sel).waitFor({ timeout });
  return sel;
}

/** Visible source seconds of the clip (which shows the whole asset of {@code duration} seconds from 0). */
export async function visibleSeconds(page, duration) {
  const px = await page.evaluate(() => {
    const s = document.querySelector('.timeline-scroll').getBoundingClientRect();
    const c = document.querySelector('[data-testid=lane-a1] [data-testid=clip]').getBoundingClientRect();
    return { from: Math.max(0, s.left - c.left), to: Math.min(c.width, s.right - c.left), width: c.width };
  });
  return { from: (px.from / px.width) * duration, to: (px.to / px.width) * duration };
}

/** Span [start, end) in seconds of a tile URL, with its level. */
export function tileOf(url) {
  const q = new URL(url).searchParams;
  return { level: Number(q.get('samples_per_pixel')), start: Number(q.get('start')), end: Number(q.get('end')) };
}
