// The studio page against an intercepted API (page.route): every state of the HTTP contract the
// page must show, played in one scenario. The media files themselves are real (shared/media).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canvasColours, launch, paintedPixels, screenshot, serveDist, sharedMedia } from './support.mjs';

const MEDIA = sharedMedia();
const now = () => new Date().toISOString();

const ASSETS = {
  'flower.mp4': { asset_id: 'vid1', kind: 'video', content_type: 'video/mp4', duration_s: 5.02, has_audio: true, has_video: true, width: 1280, height: 720, fps: 25, sample_rate: 48000, channels: 2 },
  't-rex-roar.mp3': { asset_id: 'aud1', kind: 'audio', content_type: 'audio/mpeg', duration_s: 3.6, has_audio: true, has_video: false, width: null, height: null, fps: null, sample_rate: 44100, channels: 2 },
  'flower-noaudio.mp4': { asset_id: 'mute1', kind: 'video', content_type: 'video/mp4', duration_s: 5.02, has_audio: false, has_video: true, width: 1280, height: 720, fps: 25, sample_rate: null, channels: null },
};

/** A waveform of `seconds` with a swelling envelope and band energies that move from low to high. */
function waveform(seconds, withBands) {
  const spp = 512;
  const rate = 48000;
  const length = Math.ceil((seconds * rate) / spp);
  const data = [];
  const low = [];
  const mid = [];
  const high = [];
  for (let i = 0; i < length; i++) {
    const a = Math.round(20 + 100 * Math.abs(Math.sin(i / 15)));
    data.push(-a, a, -Math.round(a * 0.8), Math.round(a * 0.8));
    const f = i / length;
    low.push(1 - f);
    mid.push(0.5);
    high.push(f);
  }
  return { version: 2, channels: 2, sample_rate: rate, samples_per_pixel: spp, bits: 8, length, data, ...(withBands ? { bands: { low, mid, high } } : {}) };
}

test('studio page against an intercepted API', async () => {
  const site = await serveDist();
  const browser = await launch();
  const { page } = browser;
  const log = []; // every API call, "METHOD /path"
  const state = { assets: [], waveformGets: {}, timelinePosts: [], proxyPosts: [], rejectNextTimeline: false, jobScript: [], proxyState: { status: 'none' }, uploadCount: 0, tusUploads: {} };

  let releaseUpload;
  const uploadHeld = new Promise((ok) => (releaseUpload = ok));
  const json = (route, status, body, headers = {}) =>
    route.fulfill({ status, contentType: 'application/json', headers, body: JSON.stringify(body) });

  await page.route((url) => url.pathname.startsWith('/api/'), async (route) => {
    const req = route.request();
    const { pathname } = new URL(req.url());
    const method = req.method();
    log.push(`${method} ${pathname}`);
    let m;
    if (pathname === '/api/media/video-assets' && method === 'GET') return json(route, 200, state.assets);
    // tus: the page uploads with tus-js-client (create, one PATCH, then GET the upload for the asset)
    if (pathname === '/api/media/uploads' && method === 'POST') {
      const meta = Object.fromEntries((req.headers()['upload-metadata'] ?? '').split(',').map((kv) => kv.trim().split(' '))
        .map(([k, v]) => [k, Buffer.from(v ?? '', 'base64').toString('utf8')]));
      const id = `u${++state.uploadCount}`;
      state.tusUploads[id] = { filename: meta.filename, length: Number(req.headers()['upload-length']) };
      return route.fulfill({ status: 201, headers: { Location: `/api/media/uploads/${id}`, 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0' } });
    }
    if ((m = /^\/api\/media\/uploads\/([^/]+)$/.exec(pathname))) {
      const upload = state.tusUploads[m[1]];
      const filename = upload?.filename;
      if (method === 'HEAD') {
        return route.fulfill({ status: 200, headers: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': '0', 'Upload-Length': String(upload.length), 'Cache-Control': 'no-store' } });
      }
      if (method === 'PATCH') {
        if (filename === 'flower.mp4') await uploadHeld; // to see the upload in progress
        if (filename === 't-rex-roar.mp3' && !upload.dropped) {
          upload.dropped = true; // the connection drops: tus-js-client asks HEAD and sends again
          return route.abort('connectionreset');
        }
        const meta = ASSETS[filename];
        const tus = { 'Tus-Resumable': '1.0.0' };
        if (!meta) return json(route, 415, { error: { code: 'unsupported_media', message: `${filename} is not audio, video or an image`, details: [] } }, tus);
        const asset = { ...meta, filename, size_bytes: 1000, url: `/media/video_assets/${meta.asset_id}${filename.slice(filename.lastIndexOf('.'))}`, waveformStatus: meta.has_audio ? 'idle' : 'unavailable', created_at: now(), stored_name: `${meta.asset_id}.bin`, demuxer: 'mov,mp4,m4a,3gp,3g2,mj2' };
        state.assets.push(asset);
        upload.asset = asset;
        return route.fulfill({ status: 204, headers: { ...tus, 'Upload-Offset': String(upload.length), 'Asset-Id': asset.asset_id } });
      }
      if (method === 'GET' && upload?.asset) return json(route, 200, upload.asset);
    }
    if ((m = /^\/api\/media\/video-assets\/([^/]+)\/waveform$/.exec(pathname))) {
      const id = m[1];
      const n = (state.waveformGets[id] = (state.waveformGets[id] ?? 0) + 1);
      if (id === 'vid1') {
        // processing twice, then ready with bands
        if (n <= 2) return json(route, 202, { status: 'processing', job_id: 'wj1', progress: n * 0.3 }, { 'Retry-After': '1' });
        return json(route, 200, { asset_id: id, status: 'ready', waveform: waveform(5.02, true) });
      }
      if (id === 'aud1') {
        if (method === 'GET' && !state.audRetried) return json(route, 200, { status: 'failed', error: { code: 'ffmpeg_failed', message: 'the decoder stopped' } });
        if (method === 'POST') {
          state.audRetried = true;
          return json(route, 202, { status: 'processing', job_id: 'wj2', progress: 0 }, { 'Retry-After': '1' });
        }
        return json(route, 200, { asset_id: id, status: 'ready', waveform: waveform(3.6, false) });
      }
      return json(route, 422, { error: { code: 'no_audio', message: 'no audio stream', details: [] } });
    }
    if (pathname === '/api/generate/video/timeline' && method === 'POST') {
      const body = req.postDataJSON();
      state.timelinePosts.push(body);
      if (state.rejectNextTimeline) {
        state.rejectNextTimeline = false;
        return json(route, 422, { error: { code: 'invalid_timeline', message: 'The timeline is invalid', details: [{ path: 'tracks[0].clips[0].out', message: 'out is past the end of the source (5.02 s)' }] } });
      }
      return json(route, 200, { ...body, timeline_id: 't1', revision: state.timelinePosts.length, proxy_preview: { status: 'none' } });
    }
    if (pathname === '/api/generate/video/timeline/t1/proxy') {
      if (method === 'GET') return json(route, 200, state.proxyState);
      state.proxyPosts.push(req.postDataJSON());
      return json(route, 202, { status: 'processing', job_id: `pj${state.proxyPosts.length}`, progress: 0 }, { 'Retry-After': '1' });
    }
    if ((m = /^\/api\/jobs\/([^/]+)$/.exec(pathname))) {
      const next = state.jobScript.length > 1 ? state.jobScript.shift() : state.jobScript[0];
      return json(route, 200, { job_id: m[1], type: 'video_proxy', created_at: now(), updated_at: now(), ...next });
    }
    return json(route, 404, { error: { code: 'not_found', message: `no route ${pathname}`, details: [] } });
  });
  // Media files are served like the real server does, with Range (a browser seeks only in a ranged resource).
  await page.route((url) => url.pathname.startsWith('/media/'), (route) => {
    const { pathname } = new URL(route.request().url());
    const file = pathname.startsWith('/media/video_proxies/') ? 'flower.webm' : pathname.includes('aud1') ? 't-rex-roar.mp3' : pathname.includes('mute1') ? 'flower-noaudio.mp4' : 'flower.mp4';
    const type = file.endsWith('.webm') ? 'video/webm' : file.endsWith('.mp3') ? 'audio/mpeg' : 'video/mp4';
    const bytes = readFileSync(join(MEDIA, file));
    const range = /bytes=(\d+)-(\d*)/.exec(route.request().headers()['range'] ?? '');
    if (!range) return route.fulfill({ status: 200, contentType: type, headers: { 'Accept-Ranges': 'bytes' }, body: bytes });
    const from = Number(range[1]);
    const to = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
    return route.fulfill({
      status: 206,
      contentType: type,
      headers: { 'Accept-Ranges': 'bytes', 'Content-Range': `bytes ${from}-${to}/${bytes.length}` },
      body: bytes.subarray(from, to + 1),
    });
  });

  try {
    await page.goto(site.url);
    await page.getByText('Drop audio, video or image files here').waitFor();
    await screenshot(page, 'intercepted-01-empty');

    // Upload: three real files, and one the server refuses.
    await page.setInputFiles('[data-testid=upload-input]', ['flower.mp4', 't-rex-roar.mp3', 'flower-noaudio.mp4', 'LICENSES.md'].map((f) => join(MEDIA, f)));
    const uploading = page.locator('[data-testid=upload]', { hasText: 'flower.mp4' });
    await uploading.locator('.progress').waitFor();
    await uploading.getByText(/\d+%/).waitFor();
    await screenshot(page, 'intercepted-01b-uploading');
    releaseUpload();
    await page.locator('[data-testid=asset]').nth(2).waitFor();
    assert.equal(await uploading.count(), 0, 'a finished upload leaves the list');
    await page.getByText('LICENSES.md is not audio, video or an image').waitFor();
    assert.equal(await page.locator('[data-testid=asset]').count(), 3);
    const roarUpload = Object.entries(state.tusUploads).find(([, u]) => u.filename === 't-rex-roar.mp3')[0];
    assert.deepEqual(log.filter((l) => l.endsWith(`/api/media/uploads/${roarUpload}`)),
      [`PATCH /api/media/uploads/${roarUpload}`, `HEAD /api/media/uploads/${roarUpload}`, `PATCH /api/media/uploads/${roarUpload}`, `GET /api/media/uploads/${roarUpload}`],
      'after a dropped connection the page asks the offset and sends again');
    assert.equal(log.filter((l) => l.startsWith('GET /api/media/video-assets/')).length, 0, 'no waveform is asked before a clip shows');

    // Add clips: by button, and by dragging from the library onto the audio track.
    await page.locator('[data-asset-id=vid1]').getByRole('button', { name: /Add/ }).click();
    await page.dragAndDrop('[data-asset-id=aud1]', '[data-testid=lane-a1]', { targetPosition: { x: 60, y: 30 } });
    await page.locator('[data-asset-id=mute1]').getByRole('button', { name: /Add/ }).click();
    const clips = page.locator('[data-testid=clip]');
    assert.equal(await clips.count(), 3);

    // The video clip's waveform: processing (with progress), then drawn with band colours.
    const vidWave = page.locator('[data-testid=lane-v1] [data-testid=clip]').first().locator('[data-testid=clip-waveform]');
    await vidWave.getByText(/Computing waveform (30|60)%/).waitFor();
    await vidWave.locator('canvas').waitFor();
    assert.ok((await paintedPixels(page, '[data-testid=lane-v1] [data-testid=waveform-canvas]')) > 500, 'the waveform is drawn');
    assert.ok((await canvasColours(page, '[data-testid=lane-v1] [data-testid=waveform-canvas]')) > 5, 'coloured by bands');
    assert.equal(state.waveformGets.vid1, 3, 'polled while processing');

    // The audio clip's waveform failed: the message and a retry that POSTs, then the drawing.
    const audWave = page.locator('[data-testid=lane-a1] [data-testid=clip-waveform]');
    await audWave.getByText('Waveform failed').waitFor();
    await screenshot(page, 'intercepted-02-waveform-failed');
    await audWave.getByRole('button', { name: 'Retry' }).click();
    await audWave.locator('canvas').waitFor();
    assert.ok(log.includes('POST /api/media/video-assets/aud1/waveform'));
    assert.ok((await paintedPixels(page, '[data-testid=lane-a1] [data-testid=waveform-canvas]')) > 200);

    // The silent video: "No audio", never asked.
    await page.locator('[data-testid=lane-v1] [data-waveform-status=no_audio]').getByText('No audio').waitFor();
    assert.equal(state.waveformGets.mute1, undefined);

    // The timeline saves itself.
    await page.getByTestId('save-status').getByText(/Saved · revision/).waitFor();
    const saved = state.timelinePosts.at(-1);
    assert.deepEqual(saved.tracks.map((t) => [t.kind, t.clips.length]), [['video', 2], ['audio', 1]]);
    assert.deepEqual(saved.tracks[1].clips[0].start >= 0, true);

    // Render: processing with progress, then the video plays the proxy.
    state.jobScript = [
      { status: 'processing', progress: 0.45 },
      { status: 'ready', progress: 1 },
    ];
    state.proxyState = { status: 'ready', url: '/media/video_proxies/t1.webm?v=1' };
    await page.getByTestId('render-preview').click();
    await page.getByText(/Rendering the preview… (0|45)%/).waitFor();
    await screenshot(page, 'intercepted-03-rendering');
    await page.locator('[data-testid=preview-status][data-status=ready]').waitFor();
    const video = page.getByTestId('preview-video');
    await page.waitForFunction(() => document.querySelector('[data-testid=preview-video]')?.readyState >= 1, null, { polling: 100 });
    assert.equal(await video.getAttribute('src'), '/media/video_proxies/t1.webm?v=1');
    await screenshot(page, 'intercepted-04-ready');

    // The cache: asking again for the same timeline calls no API.
    const callsBefore = log.length;
    await page.getByTestId('render-preview').click();
    await page.waitForTimeout(300);
    assert.deepEqual(log.slice(callsBefore), []);
    assert.equal(state.proxyPosts.length, 1);

    // The playhead follows a click on the ruler and seeks the video.
    const ruler = page.getByTestId('ruler');
    const zoom = 60; // px per second, the default
    await ruler.click({ position: { x: 2 * zoom, y: 10 } });
    await page.waitForFunction(() => Math.abs(document.querySelector('[data-testid=preview-video]').currentTime - 2) < 0.05);
    assert.match(await page.getByTestId('preview-time').innerText(), /^0:02\.00/);

    // Move a clip: the proxy goes stale and the old video stays.
    const audClip = page.locator('[data-testid=lane-a1] [data-testid=clip]');
    const box = await audClip.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 90, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const moved = await audClip.boundingBox();
    assert.ok(Math.abs(moved.x - box.x - 90) < 3, `moved by ${moved.x - box.x}`);
    await page.locator('[data-testid=preview-status][data-status=stale]').waitFor();
    await page.getByText('The timeline changed since this preview').waitFor();
    assert.equal(await video.getAttribute('src'), '/media/video_proxies/t1.webm?v=1');

    // Trim the end of the video clip by dragging its handle 60 px (1 s) left.
    const vidClip = page.locator('[data-testid=lane-v1] [data-testid=clip]').first();
    const vbox = await vidClip.boundingBox();
    await page.mouse.move(vbox.x + vbox.width - 3, vbox.y + vbox.height / 2);
    await page.mouse.down();
    await page.mouse.move(vbox.x + vbox.width - 3 - zoom, vbox.y + vbox.height / 2, { steps: 4 });
    await page.mouse.up();
    const trimmedBox = await vidClip.boundingBox();
    assert.ok(Math.abs(vbox.width - trimmedBox.width - zoom) < 3, `trimmed by ${vbox.width - trimmedBox.width}px`);
    await page.getByTestId('save-status').getByText(/Saved · revision/).waitFor();
    const trimmedSave = state.timelinePosts.at(-1).tracks[0].clips[0];
    assert.ok(Math.abs(trimmedSave.out - 4.02) < 0.05, `out ${trimmedSave.out}`);
    await screenshot(page, 'intercepted-05-stale');

    // A forced render that fails: the error shows and the previous video stays on screen.
    state.jobScript = [
      { status: 'processing', progress: 0.1 },
      { status: 'failed', progress: 0.1, error: { code: 'ffmpeg_failed', message: 'the encoder stopped' } },
    ];
    await page.getByRole('button', { name: 'Re-render' }).click();
    await page.getByText('the encoder stopped').waitFor();
    await page.locator('[data-testid=preview-status][data-status=failed]').waitFor();
    assert.deepEqual(state.proxyPosts.at(-1), { force: true });
    assert.equal(await video.getAttribute('src'), '/media/video_proxies/t1.webm?v=1');
    await screenshot(page, 'intercepted-06-failed');

    // A timeline the server rejects: the problem is listed with its path and the clip marked.
    state.rejectNextTimeline = true;
    await audClip.click({ position: { x: 40, y: 40 } });
    await page.keyboard.press('Delete');
    await page.getByText('out is past the end of the source (5.02 s)').waitFor();
    assert.equal(await page.locator('.clip.invalid').count(), 1);
    await screenshot(page, 'intercepted-07-invalid');

    assert.deepEqual(browser.errors, [], 'no error in the page');
  } catch (e) {
    await screenshot(page, 'intercepted-failure').catch(() => undefined);
    console.log('video:', await page.evaluate(() => { const v = document.querySelector('video[data-testid=preview-video]'); return v && [v.readyState, v.currentTime, v.duration, v.getAttribute('src')]; }).catch(String));
    console.log('API calls:', log.join(', '), 'page errors:', browser.errors);
    throw e;
  } finally {
    await browser.close();
    await site.close();
  }
});

test('a failed waveform can be drawn from the file in the browser', async () => {
  const site = await serveDist();
  const browser = await launch();
  const { page } = browser;
  const song = {
    asset_id: 'song1', filename: 'JustLikeTheWorld.flac', kind: 'audio', content_type: 'audio/flac', size_bytes: 403115, duration_s: 9.44,
    has_audio: true, has_video: false, width: null, height: null, fps: null, sample_rate: 44100, channels: 2,
    url: '/media/video_assets/song1.flac', waveformStatus: 'failed', created_at: now(),
  };
  await page.route((url) => url.pathname.startsWith('/api/'), (route) => {
    const { pathname } = new URL(route.request().url());
    const body =
      pathname === '/api/media/video-assets'
        ? [song]
        : pathname.endsWith('/waveform')
          ? { status: 'failed', error: { code: 'ffmpeg_failed', message: 'the decoder stopped' } }
          : { timeline_id: 't2', revision: 1, proxy_preview: { status: 'none' }, ...route.request().postDataJSON() };
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  });
  await page.route((url) => url.pathname === '/media/video_assets/song1.flac', (route) =>
    route.fulfill({ status: 200, contentType: 'audio/flac', body: readFileSync(join(MEDIA, 'JustLikeTheWorld.flac')) }),
  );
  try {
    await page.goto(site.url);
    await page.locator('[data-asset-id=song1]').getByRole('button', { name: /Add/ }).click();
    const wave = page.locator('[data-testid=lane-a1] [data-testid=clip-waveform]');
    await wave.getByText('Waveform failed').waitFor();
    await wave.getByRole('button', { name: 'From file' }).click();
    await wave.locator('canvas').waitFor();
    const canvas = '[data-testid=lane-a1] [data-testid=waveform-canvas]';
    const area = await page.$eval(canvas, (c) => c.width * c.height);
    assert.ok((await paintedPixels(page, canvas)) > 0.1 * area, 'the song is drawn from the decoded file');
    await screenshot(page, 'intercepted-08-local-waveform');
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    await site.close();
  }
});
