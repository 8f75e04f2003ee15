// End to end against the REAL server: the Helidon jar (built by `mvn verify`/`package` before this
// runs), real uploads from shared/media, real waveforms, a real proxy render played by chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, paintedPixels, screenshot, sharedMedia, startServer } from './support.mjs';

test('studio page end to end against the real server', { timeout: 240_000 }, (t) => scenario(t, null));

// The same scenario with auth on: the page asks for the token once, keeps it for the tab, sends it
// on every API call and plays the signed media URLs the server hands out.
const TOKEN = 'e2e-editor-secret';
test('studio page end to end with auth on (token mode)', { timeout: 240_000 }, (t) =>
  scenario(t, { STUDIO_AUTH_MODE: 'token', STUDIO_AUTH_TOKENS: `${TOKEN}=e2e:editor`, STUDIO_AUTH_URL_KEY: 'e2e-url-key' }));

async function scenario(t, authEnv) {
  const media = sharedMedia();
  const server = await startServer(authEnv ?? {});
  const fetch = (url, init = {}) =>
    globalThis.fetch(url, authEnv ? { ...init, headers: { ...init.headers, Authorization: `Bearer ${TOKEN}` } } : init);
  let browser = null;
  let prompts = 0;
  try {
    browser = await launch();
    const { page } = browser;
    if (authEnv) {
      assert.equal((await globalThis.fetch(`${server.base}/api/media/video-assets`)).status, 401, 'the API needs the token');
      page.on('dialog', (d) => {
        prompts++;
        d.accept(TOKEN);
      });
    }
    await page.goto(server.base);
    await page.getByText('Drop audio, video or image files here').waitFor();

    // Upload real files through the page.
    await page.setInputFiles('[data-testid=upload-input]', [join(media, 'friday.mp4'), join(media, 'JustLikeTheWorld.flac')]);
    await page.locator('[data-testid=asset]').nth(1).waitFor({ timeout: 60_000 });
    const listed = await (await fetch(`${server.base}/api/media/video-assets`)).json();
    assert.deepEqual(listed.map((a) => a.filename).sort(), ['JustLikeTheWorld.flac', 'friday.mp4']);
    const byName = Object.fromEntries(listed.map((a) => [a.filename, a]));

    // Build a timeline: the video, then the song on the audio track.
    await page.locator(`[data-asset-id="${byName['friday.mp4'].asset_id}"]`).getByRole('button', { name: /Add/ }).click();
    await page.locator(`[data-asset-id="${byName['JustLikeTheWorld.flac'].asset_id}"]`).getByRole('button', { name: /Add/ }).click();

    // Waveforms computed by the server and drawn in both clips.
    for (const lane of ['v1', 'a1']) {
      const canvas = `[data-testid=lane-${lane}] [data-testid=waveform-canvas]`;
      await page.locator(canvas).waitFor({ timeout: 90_000 });
      const painted = await paintedPixels(page, canvas);
      const area = await page.$eval(canvas, (c) => c.width * c.height);
      // a flat line (silence, or nothing decoded) covers ~2 % of the canvas; a waveform far more
      assert.ok(painted > 0.1 * area, `waveform of ${lane} drawn (${painted} of ${area} pixels)`);
    }
    // Frames along the video clip, from the server's thumbnail strip: an API call, so with auth on it
    // needs the token like the rest (it is not a signed media URL).
    await page.locator('[data-testid=lane-v1] [data-testid=clip-thumbs][data-status=ready]').waitFor({ timeout: 60_000 });
    assert.ok((await page.locator('[data-testid=lane-v1] .thumb-frame').count()) >= 1, 'frames drawn along the video clip');
    await screenshot(page, (authEnv ? 'auth-' : '') + 'server-01-timeline');

    // Trim the song to 3 s by dragging its end handle, so the timeline lasts as long as the video.
    const song = page.locator('[data-testid=lane-a1] [data-testid=clip]');
    const box = await song.boundingBox();
    const zoom = 60;
    await page.mouse.move(box.x + box.width - 3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 3 * zoom - 3, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('save-status').getByText(/Saved · revision/).waitFor({ timeout: 30_000 });

    const timelineId = await page.evaluate(() => localStorage.getItem('videostudio.timeline_id'));
    assert.ok(timelineId, 'the page remembers the saved timeline');
    const saved = await (await fetch(`${server.base}/api/generate/video/timeline/${timelineId}`)).json();
    assert.deepEqual(saved.tracks.map((t) => [t.kind, t.clips.length]), [['video', 1], ['audio', 1]]);
    const songClip = saved.tracks[1].clips[0];
    assert.ok(Math.abs(songClip.out - songClip.in - 3) < 0.05, `song trimmed to ${songClip.out - songClip.in}`);
    const expected = Math.max(...saved.tracks.flatMap((t) => t.clips.map((c) => c.start + c.out - c.in)));

    // Render the preview; the video element plays the proxy.
    const renderStarted = Date.now();
    // When the page shows "ready" (its own clock, the server's machine), against the job's end.
    await page.evaluate(() => {
      const observer = new MutationObserver(() => {
        if (document.querySelector('[data-testid=preview-status][data-status=ready]') && !window.__readyAt) window.__readyAt = Date.now();
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
    });
    const proxyAnswer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/proxy'));
    await page.getByTestId('render-preview').click();
    const jobId = (await (await proxyAnswer).json()).job_id;
    await page.locator('[data-testid=preview-status][data-status=processing]').waitFor();
    await screenshot(page, (authEnv ? 'auth-' : '') + 'server-02-rendering');
    await page.locator('[data-testid=preview-status][data-status=ready]').waitFor({ timeout: 180_000 });
    const job = await (await fetch(`${server.base}/api/jobs/${jobId}`)).json();
    assert.equal(job.status, 'ready');
    const shownAfter = (await page.evaluate(() => window.__readyAt)) - Date.parse(job.updated_at);
    t.diagnostic(`render finished -> page shows ready: ${shownAfter} ms (job events)`);
    console.log(`render finished -> page shows ready: ${shownAfter} ms`);
    assert.ok(shownAfter < 1000, `the page followed the job's events, not a 1 s poll (${shownAfter} ms)`);
    const video = page.getByTestId('preview-video');
    await page.waitForFunction(() => document.querySelector('[data-testid=preview-video]')?.readyState >= 2, null, { polling: 100, timeout: 30_000 });
    const src = await video.getAttribute('src');
    assert.match(src, new RegExp(`^/media/video_proxies/${timelineId}\\.webm`));
    if (authEnv) {
      assert.match(src, /[?&]sig=/, 'the proxy URL is signed');
      const unsigned = await globalThis.fetch(`${server.base}${src.slice(0, src.indexOf('?'))}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      assert.equal(unsigned.status, 403, 'a media file needs its signature, a token is not enough');
    }
    const renderSeconds = (Date.now() - renderStarted) / 1000;
    const duration = await video.evaluate((v) => v.duration);
    t.diagnostic(`render to playable: ${renderSeconds.toFixed(1)} s; proxy ${duration.toFixed(3)} s for a ${expected.toFixed(3)} s timeline`);
    const frame = 1 / saved.fps;
    assert.ok(Math.abs(duration - expected) <= 2 * frame + 0.01, `proxy lasts ${duration} s, timeline ${expected} s`);
    const size = await video.evaluate((v) => [v.videoWidth, v.videoHeight]);
    assert.equal(size[1], 360, `proxy is 360 lines high (${size})`);

    // It seeks: set currentTime and wait for 'seeked'; the timeline's playhead follows.
    const seeked = await video.evaluate(
      (v) =>
        new Promise((ok) => {
          v.addEventListener('seeked', () => ok(v.currentTime), { once: true });
          v.currentTime = 2.5;
        }),
    );
    assert.ok(Math.abs(seeked - 2.5) < 0.05, `seeked to ${seeked}`);
    await page.getByTestId('preview-time').getByText(/^0:02\.5/).waitFor();

    // It plays: time advances.
    const played = await video.evaluate(
      (v) =>
        new Promise((ok, fail) => {
          const from = v.currentTime;
          v.muted = true;
          v.play().catch(fail);
          setTimeout(() => {
            v.pause();
            ok(v.currentTime - from);
          }, 1200);
        }),
    );
    assert.ok(played > 0.3, `played ${played} s`);

    // A ruler click moves the playhead and seeks the video.
    await page.getByTestId('ruler').click({ position: { x: 1 * zoom, y: 10 } });
    await page.waitForFunction(() => Math.abs(document.querySelector('[data-testid=preview-video]').currentTime - 1) < 0.05, null, { polling: 100 });
    await screenshot(page, (authEnv ? 'auth-' : '') + 'server-03-ready');

    // Asking again for the unchanged timeline is answered from the page's cache: no request.
    let apiCalls = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) apiCalls++;
    });
    await page.getByTestId('render-preview').click();
    await page.waitForTimeout(300);
    assert.equal(apiCalls, 0);

    // A reload comes back to the saved timeline and its ready proxy.
    await page.reload();
    await page.locator('[data-testid=clip]').nth(1).waitFor();
    await page.locator('[data-testid=preview-status][data-status=ready]').waitFor();
    assert.equal(await page.getByTestId('preview-video').getAttribute('src'), src);
    await page.locator('[data-testid=lane-a1] [data-testid=waveform-canvas]').waitFor();

    assert.deepEqual(browser.errors, [], 'no error in the page');
    if (authEnv) assert.equal(prompts, 1, 'the token is asked once and kept for the tab (across a reload)');
  } catch (e) {
    if (browser) await screenshot(browser.page, (authEnv ? 'auth-' : '') + 'server-failure').catch(() => undefined);
    throw e;
  } finally {
    await browser?.close();
    await server.stop();
  }
}
