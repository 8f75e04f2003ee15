// The studio page's waveform traffic for a one-hour asset, in Chromium against the real server
// (bench/waveform-serve starts it and passes BASE ASSET_ID TIMELINE_ID DURATION).
// Prints JSON lines: first paint bytes and time, the zoom sweep, the scroll across the hour, a reload.
import { launch } from '../examples/web-studio/e2e/support.mjs';
import { awaitDrawn, openTimeline, tileOf, visibleSeconds, wireMeter } from '../examples/web-studio/e2e/waveform-wire.mjs';

const [base, assetId, timelineId, durationText] = process.argv.slice(2);
const duration = Number(durationText);
const ZOOM_MIN = 10;
const ZOOM_MAX = 400;
const out = (o) => console.log(JSON.stringify(o));

const browser = await launch();
try {
  const { page } = browser;
  const wire = await wireMeter(page);
  const summary = (list) => ({ requests: list.length, bytes: wire.bytes(list), levels: [...new Set(list.map((r) => tileOf(r.url).level))] });

  // 1. first paint at the page's default zoom (60 px/s on a 1280 px window), fresh browser cache
  let mark = wire.mark();
  await openTimeline(page, base, timelineId);
  await awaitDrawn(page);
  await wire.settle();
  const timing = await page.evaluate(() => {
    const c = document.querySelector('[data-testid=lane-a1] [data-testid=waveform-canvas]');
    const first = performance.getEntriesByType('resource').find((e) => e.name.includes('/waveform'));
    return { requestToDrawnMs: Number(c.dataset.completeAt) - first.startTime };
  });
  out({ step: 'first paint (60 px/s)', ...summary(wire.since(mark)), ...timing });

  // the same in the page, the way it was before: the full JSON, fetched and parsed (no cache)
  const before = await page.evaluate(async (url) => {
    const t0 = performance.now();
    const r = await fetch(url, { cache: 'no-store' });
    const w = await r.json();
    return { ms: performance.now() - t0, length: w.waveform.length };
  }, `${base}/api/media/video-assets/${assetId}/waveform`);
  out({ step: 'reference: full JSON fetched and parsed in the page', ms: before.ms });

  // 2. zoom from the widest the page allows (10 px/s) to 100 px/s around the middle of the hour
  const setZoom = async (z) => {
    const v = Math.log(z / ZOOM_MIN) / Math.log(ZOOM_MAX / ZOOM_MIN);
    await page.locator('.toolbar-group.zoom input[type=range]').evaluate((el, value) => {
      const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      set.call(el, String(value));
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, v);
  };
  const centreOn = async (seconds, zoom) => {
    await page.evaluate(([s, z]) => {
      const el = document.querySelector('.timeline-scroll');
      el.scrollLeft = Math.max(0, s * z - el.clientWidth / 2);
    }, [seconds, zoom]);
  };
  mark = wire.mark();
  const zooms = [];
  for (let z = ZOOM_MIN; z < 100; z *= 1.5) zooms.push(z);
  zooms.push(100);
  for (const z of zooms) {
    await setZoom(z);
    await centreOn(duration / 2, z);
    await page.waitForTimeout(50);
    await awaitDrawn(page);
    await wire.settle();
  }
  out({ step: `zoom 10 -> 100 px/s at the middle (${zooms.length} steps)`, ...summary(wire.since(mark)) });

  // 3. at 100 px/s (1 s per 100 px), scroll across the whole hour one view at a time
  mark = wire.mark();
  const view = await page.evaluate(() => document.querySelector('.timeline-scroll').clientWidth);
  const t0 = Date.now();
  for (let x = 0; x < duration * 100; x += view) {
    await page.evaluate((left) => (document.querySelector('.timeline-scroll').scrollLeft = left), x);
    await page.waitForTimeout(20);
    await awaitDrawn(page);
  }
  await wire.settle();
  out({ step: 'scroll across the hour at 100 px/s', seconds: (Date.now() - t0) / 1000, ...summary(wire.since(mark)) });
  const vis = await visibleSeconds(page, duration);

  // 4. reload: everything from the browser cache
  mark = wire.mark();
  await page.reload();
  await awaitDrawn(page);
  await wire.settle();
  const again = wire.since(mark);
  out({ step: 'reload', requests: again.length, bytes: wire.bytes(again), fromCacheOr304: again.filter((r) => r.cached || r.status === 304).length, visibleTo: vis.to });
} finally {
  await browser.close();
}
