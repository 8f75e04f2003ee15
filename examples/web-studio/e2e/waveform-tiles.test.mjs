// The page's waveform traffic against the REAL server: the first paint of a long clip downloads a
// few tiles (at most 64 kB), zooming in fetches tiles of the visible span only, and a reload
// downloads no waveform bytes again (immutable tiles from the browser cache).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, screenshot, startServer } from './support.mjs';
import { awaitDrawn, awaitWaveform, openTimeline, tileOf, timelineWith, upload, visibleSeconds, wireMeter } from './waveform-wire.mjs';

test('waveform tiles: small first paint, visible-span zoom, nothing again after a reload', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'studio-tiles-'));
  const file = join(dir, 'eight-minutes.mp3');
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'aevalsrc=0.6*sin(440*2*PI*t)*sin(0.05*t)|0.4*sin(2500*2*PI*t)*sin(0.3*t):s=44100', '-t', '480', '-b:a', '64k', file]);
  const server = await startServer({ LOG_NAME: 'server-tiles.log' });
  let browser = null;
  try {
    const asset = await upload(server.base, file);
    await awaitWaveform(server.base, asset.asset_id);
    const timelineId = await timelineWith(server.base, asset);
    browser = await launch();
    const { page } = browser;
    const wire = await wireMeter(page);

    // First paint: the level of the zoom (60 px/s: 1024 samples per pixel), tiles of the view only.
    let mark = wire.mark();
    await openTimeline(page, server.base, timelineId);
    await awaitDrawn(page, 1024);
    await wire.settle();
    const first = wire.since(mark);
    const firstBytes = wire.bytes(first);
    assert.ok(first.length >= 1 && first.length <= 3, `${first.length} waveform requests for the first paint`);
    assert.ok(firstBytes <= 64 * 1024, `first paint downloaded ${firstBytes} bytes`);
    for (const r of first) assert.equal(tileOf(r.url).level, 1024, r.url);

    // Scroll to the middle and put the playhead there (zooming keeps it in view), then zoom in
    // twice: new tiles are finer and lie around the visible span.
    await page.evaluate(() => (document.querySelector('.timeline-scroll').scrollLeft = 240 * 60));
    await awaitDrawn(page, 1024);
    const scroller = await page.locator('.timeline-scroll').boundingBox();
    const ruler = await page.locator('.ruler').boundingBox();
    await page.mouse.click(scroller.x + scroller.width / 2, ruler.y + ruler.height / 2);
    await wire.settle();
    for (const level of [512, 512, 256]) {
      mark = wire.mark();
      await page.getByRole('button', { name: 'Zoom in' }).click();
      await awaitDrawn(page, level);
      await wire.settle();
      const view = await visibleSeconds(page, asset.duration_s);
      const span = view.to - view.from;
      const got = wire.since(mark);
      assert.ok(got.length >= 1 || level === 512, `zooming to ${level} fetched tiles`);
      for (const r of got) {
        const t = tileOf(r.url);
        assert.equal(t.level, level, r.url);
        // the view plus half a view on each side, widened to whole tiles
        assert.ok(t.end > view.from - span && t.start < view.to + span, `tile ${t.start}-${t.end} s is off the view ${view.from}-${view.to} s`);
      }
      const tileSeconds = (1024 * level) / 44100;
      assert.ok(got.length <= Math.ceil((2 * span) / tileSeconds) + 1, `${got.length} tiles for a ${span} s view`);
    }
    await screenshot(page, 'tiles-01-zoomed');

    // A reload: every waveform answer comes from the browser's cache (or is a 304), no body again.
    mark = wire.mark();
    await page.reload();
    await awaitDrawn(page);
    await wire.settle();
    const again = wire.since(mark);
    assert.ok(again.length >= 1);
    for (const r of again) assert.ok(r.cached || r.status === 304, `${r.url} downloaded again (${r.status})`);
    const bodyBytes = again.filter((r) => !r.cached && r.status !== 304).length;
    assert.equal(bodyBytes, 0);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser?.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
