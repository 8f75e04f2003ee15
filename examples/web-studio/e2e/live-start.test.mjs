// Click on Render to the video's `playing` event, measured over several renders (LIVE_RUNS, default
// 5) against the REAL server, each a timeline of new content (no cached segment), the page opened
// afresh. Beside each: when the server had written the stream's first segment (the file's time, same
// clock), so the page's own share shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launch, sharedMedia, startServer, upload } from './support.mjs';

const RUNS = Number(process.env.LIVE_RUNS ?? 5);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

test(`click on Render to playing, ${RUNS} runs`, { timeout: 600_000 }, async (t) => {
  const media = sharedMedia();
  const server = await startServer({ LOG_NAME: 'server-live-start.log' });
  let browser = null;
  const rows = [];
  try {
    const friday = await upload(server.base, join(media, 'friday.mp4'));
    const flower = await upload(server.base, join(media, 'flower.mp4'));
    // the edit proxies and waveforms the uploads start: done first, so that every run starts alike
    await fetch(`${server.base}/api/media/video-assets/${friday}/waveform`);
    await fetch(`${server.base}/api/media/video-assets/${flower}/waveform`);
    for (let i = 0; i < 1200; i++) {
      const metrics = await (await fetch(`${server.base}/metrics`)).text();
      const busy = metrics.split('\n').filter((l) => l.startsWith('videostudio_jobs_running') && !/ 0(\.0)?$/.test(l));
      if (i > 4 && busy.length === 0) break;
      await new Promise((ok) => setTimeout(ok, 250));
    }
    browser = await launch();
    const { page } = browser;
    for (let run = 0; run < RUNS; run++) {
      // new content each run: the first clip starts a little later in its source
      const clips = Array.from({ length: 16 }, (_, i) =>
        i % 2 === 0
          ? { id: `c${i}`, asset_id: friday, start: 5 * i, in: 0.5 + (i === 0 ? run * 0.04 : 0), out: 5.5 + (i === 0 ? run * 0.04 : 0) }
          : { id: `c${i}`, asset_id: flower, start: 5 * i, in: 0, out: 5 },
      );
      const saved = await fetch(`${server.base}/api/generate/video/timeline`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: `live ${run}`, width: 1280, height: 720, fps: 30, tracks: [{ id: 'v1', kind: 'video', clips }] }),
      });
      assert.equal(saved.status, 201);
      const timelineId = (await saved.json()).timeline_id;
      // (not through the page: opening the last run's timeline, whose render was cancelled, would ask it again)
      await page.goto(`${server.base}/health`);
      await page.evaluate((id) => localStorage.setItem('videostudio.timeline_id', id), timelineId);
      await page.goto(server.base);
      await page.locator('[data-testid=clip]').nth(15).waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500); // the page settles (its own waveform and thumbnail requests)
      await page.evaluate(() => {
        const live = (window.__live = {});
        document.addEventListener('playing', () => {
          if (live.playingAt) return;
          live.playingAt = performance.now();
          live.status = document.querySelector('[data-testid=preview-status]')?.dataset.status;
        }, true);
        live.clickWall = Date.now();
        live.clickAt = performance.now();
        document.querySelector('[data-testid=render-preview]').click();
      });
      await page.waitForFunction(() => window.__live.playingAt, null, { polling: 20, timeout: 90_000 });
      const live = await page.evaluate(() => {
        const l = window.__live;
        const entries = performance.getEntriesByType('resource').filter((e) => e.startTime >= l.clickAt - 1);
        const first = (re) => {
          const e = entries.find((x) => re.test(x.name));
          return e ? [(e.startTime - l.clickAt) / 1000, (e.responseEnd - l.clickAt) / 1000] : null;
        };
        return { ...l, post: first(/\/proxy$/), m3u8: first(/\.m3u8/), init: first(/\.init\.mp4/), seg: first(/\.m4s/) };
      });
      assert.equal(live.status, 'processing', 'playing before the render is ready');
      const proxies = join(server.mediaRoot, 'video_proxies');
      const seg0 = readdirSync(proxies).find((f) => f.startsWith(`${timelineId}.live-`) && f.endsWith('.0.m4s'));
      assert.ok(seg0, `the first segment exists: ${readdirSync(proxies).filter((f) => f.startsWith(timelineId)).join(' ')}`);
      const serverFirst = (statSync(join(proxies, seg0)).mtimeMs - live.clickWall) / 1000;
      const row = { playing: (live.playingAt - live.clickAt) / 1000, serverFirst, post: live.post, m3u8: live.m3u8, init: live.init, seg: live.seg };
      rows.push(row);
      const f = (x) => (x ? `${x[0].toFixed(2)}-${x[1].toFixed(2)}` : '-');
      t.diagnostic(`run ${run + 1}: click to playing ${row.playing.toFixed(2)} s; first segment written on the server at ${serverFirst.toFixed(2)} s; `
        + `POST ${f(row.post)}, playlist ${f(row.m3u8)}, init ${f(row.init)}, segment ${f(row.seg)} s`);
      // stop the render: the next run starts on a quiet server
      const state = await (await fetch(`${server.base}/api/generate/video/timeline/${timelineId}/proxy`)).json();
      if (state.job_id) await fetch(`${server.base}/api/jobs/${state.job_id}`, { method: 'DELETE' });
      await page.waitForTimeout(500);
    }
    const play = median(rows.map((r) => r.playing));
    const first = median(rows.map((r) => r.serverFirst));
    t.diagnostic(`median over ${RUNS}: click to playing ${play.toFixed(2)} s, first segment on the server ${first.toFixed(2)} s, `
      + `the page's share (median of each run's) ${median(rows.map((r) => r.playing - r.serverFirst)).toFixed(2)} s `
      + `(runs: ${rows.map((r) => r.playing.toFixed(2)).join(', ')})`);
    assert.deepEqual(browser.errors, [], 'no error in the page');
  } finally {
    await browser?.close();
    await server.stop();
  }
});
