// The live preview against the REAL server: an 80 s timeline rendered while chromium plays its HLS
// stream (hls.js), a seek into a part not rendered yet, and the switch to the final file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, screenshot, sharedMedia, startServer, upload } from './support.mjs';

/** The playhead as the page shows it ("1:05.25 / 1:20.00"), in seconds. */
async function playhead(page) {
  const text = await page.getByTestId('preview-time').innerText();
  const m = /^(\d+):(\d+(?:\.\d+)?)/.exec(text.trim());
  return Number(m[1]) * 60 + Number(m[2]);
}

test('the preview plays while it renders, a seek plays once its part is rendered', { timeout: 300_000 }, async (t) => {
  const media = sharedMedia();
  const server = await startServer({ LOG_NAME: 'server-live.log' });
  let browser = null;
  try {
    const friday = await upload(server.base, join(media, 'friday.mp4'));
    const flower = await upload(server.base, join(media, 'flower.mp4'));
    const clips = Array.from({ length: 16 }, (_, i) =>
      i % 2 === 0
        ? { id: `c${i}`, asset_id: friday, start: 5 * i, in: 0.5, out: 5.5 }
        : { id: `c${i}`, asset_id: flower, start: 5 * i, in: 0, out: 5 },
    );
    const saved = await fetch(`${server.base}/api/generate/video/timeline`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'live', width: 1280, height: 720, fps: 30, tracks: [{ id: 'v1', kind: 'video', clips }] }),
    });
    assert.equal(saved.status, 201);
    const timelineId = (await saved.json()).timeline_id;

    // the page asks for the waveforms of what it shows: let those jobs finish first (they would hold
    // the two job slots and delay the render's start; the benchmark measures a quiet server)
    for (const id of [friday, flower]) {
      for (let i = 0; i < 300; i++) {
        const w = await (await fetch(`${server.base}/api/media/video-assets/${id}/waveform`)).json();
        if (w.status !== 'processing') break;
        await new Promise((ok) => setTimeout(ok, 200));
      }
    }
    browser = await launch();
    const { page } = browser;
    const playlists = [];
    page.on('request', (r) => {
      if (r.url().includes('.m3u8')) playlists.push(new URL(r.url()).pathname);
    });
    await page.goto(server.base);
    await page.evaluate((id) => localStorage.setItem('videostudio.timeline_id', id), timelineId);
    await page.reload();
    await page.locator('[data-testid=clip]').nth(15).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Fit' }).click();

    // Render: the live stream plays before the render is done.
    await page.evaluate(() => {
      const live = (window.__live = {});
      document.addEventListener(
        'playing',
        (e) => {
          if (live.playingAt) return;
          live.playingAt = performance.now();
          live.status = document.querySelector('[data-testid=preview-status]')?.dataset.status;
          live.src = e.target.currentSrc;
        },
        true,
      );
      // whether the live video plays when the render ends (it may have played to the end of its stream)
      for (const type of ['playing', 'pause', 'ended']) {
        document.addEventListener(type, (e) => {
          // (removing the stream's element at the switch pauses it: that is not the user's pause)
          if (e.target.isConnected && !e.target.getAttribute('src')?.includes('.webm')) live.lastPlaying = type === 'playing';
        }, true);
      }
      document.querySelector('[data-testid=render-preview]').click();
      live.clickAt = performance.now();
    });
    await page.waitForFunction(() => window.__live.playingAt, null, { polling: 20, timeout: 90_000 });
    const live = await page.evaluate(() => window.__live);
    const firstPlay = (live.playingAt - live.clickAt) / 1000;
    t.diagnostic(`click on Render to 'playing': ${firstPlay.toFixed(2)} s`);
    assert.equal(live.status, 'processing', 'playing before the render is ready');
    assert.match(live.src, /^blob:/, 'played through Media Source Extensions (hls.js)');
    assert.ok(playlists.some((p) => p.startsWith(`/media/video_proxies/${timelineId}.live-`)), playlists.join());
    await page.getByTestId('live-message').waitFor();
    await screenshot(page, 'live-01-playing-while-rendering');

    // A seek far ahead (the ruler at 60 % of its width: past the middle of the fitted timeline), while the render runs.
    const ruler = await page.getByTestId('ruler').boundingBox();
    await page.getByTestId('ruler').click({ position: { x: ruler.width * 0.6, y: 10 } });
    const status = await page.getByTestId('preview-status').getAttribute('data-status');
    const target = await playhead(page);
    assert.ok(target > 40 && target < 79, `seek target ${target}`);
    const seekAt = Date.now();
    // playing goes on from there once that part is rendered (the playhead moves past it)
    await page.waitForFunction(
      (from) => {
        const m = /^(\d+):(\d+(?:\.\d+)?)/.exec(document.querySelector('[data-testid=preview-time]').textContent.trim());
        const now = Number(m[1]) * 60 + Number(m[2]);
        return now > from + 0.5 && now < from + 10;
      },
      target,
      { polling: 50, timeout: 90_000 },
    );
    const seekPlays = (Date.now() - seekAt) / 1000;
    const fromStream = playlists.find((p) => p.includes('.from-'));
    t.diagnostic(`seek to ${target.toFixed(2)} s while ${status}: playing on after ${seekPlays.toFixed(2)} s, ${fromStream ? `from its own playlist ${fromStream}` : 'from the main playlist'}`);
    if (status === 'processing') {
      const afterSeek = await page.getByTestId('preview-status').getAttribute('data-status');
      t.diagnostic(`status when playing on after the seek: ${afterSeek}`);
    }
    await screenshot(page, 'live-02-after-seek');

    // The final file takes over at the same moment (and goes on playing if the stream was playing).
    await page.locator('[data-testid=preview-status][data-status=ready]').waitFor({ timeout: 180_000 });
    const atSwitch = await playhead(page);
    const wasPlaying = await page.evaluate(() => window.__live.lastPlaying === true);
    await page.waitForFunction(
      () => {
        const v = document.querySelector('[data-testid=preview-video]');
        return v && v.getAttribute('src')?.includes('.webm') && v.readyState >= 2;
      },
      null,
      { polling: 50, timeout: 30_000 },
    );
    const after = await page.getByTestId('preview-video').evaluate((v) => v.currentTime);
    t.diagnostic(`switch to the final file at ${atSwitch.toFixed(2)} s (${wasPlaying ? 'playing' : 'paused'}), it is at ${after.toFixed(2)} s`);
    assert.ok(Math.abs(after - atSwitch) < 1.5, `no jump at the switch: ${atSwitch} -> ${after}`);
    if (wasPlaying && atSwitch < 78) {
      // it goes on playing from there
      await page.waitForFunction((from) => {
        const v = document.querySelector('[data-testid=preview-video]');
        return !v.paused && v.currentTime > from + 0.3;
      }, after, { polling: 50, timeout: 30_000 });
    }
    await screenshot(page, 'live-03-final-file');
    assert.deepEqual(browser.errors, [], 'no error in the page');
  } catch (e) {
    if (browser) await screenshot(browser.page, 'live-failure').catch(() => undefined);
    throw e;
  } finally {
    await browser?.close();
    await server.stop();
  }
});
