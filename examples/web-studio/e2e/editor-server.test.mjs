// The editor end to end against the REAL server: a 30-clip edit built with the keyboard and the
// mouse, undone and redone to the last step, rendered by the server, and reloaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, screenshot, sharedMedia, startServer } from './support.mjs';

test('a 30-clip edit with keyboard and mouse: undo, redo, render, reload', { timeout: 420_000 }, async (t) => {
  const media = sharedMedia();
  const server = await startServer({ LOG_NAME: 'editor-server.log' });
  let browser = null;
  try {
    browser = await launch();
    const { page } = browser;
    const clips = page.locator('[data-testid=clip]');
    const undo = page.getByRole('button', { name: 'Undo' });
    await page.goto(server.base);
    await page.getByText('Drop audio, video or image files here').waitFor();
    await page.setInputFiles('[data-testid=upload-input]', [join(media, 'flower.mp4'), join(media, 'JustLikeTheWorld.flac')]);
    await page.locator('[data-testid=asset]').nth(1).waitFor({ timeout: 60_000 });
    const listed = await (await fetch(`${server.base}/api/media/video-assets`)).json();
    const id = Object.fromEntries(listed.map((a) => [a.filename, a.asset_id]));
    const add = (name) => page.locator(`[data-asset-id="${id[name]}"]`).getByRole('button', { name: /Add/ }).click();

    // Mouse: three flower clips and the song.
    for (let i = 0; i < 3; i++) await add('flower.mp4');
    await add('JustLikeTheWorld.flac');
    // Keyboard: from 0.5 s, a split every second (S), the playhead moved by Shift+Right.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Home');
    for (let i = 0; i < 15; i++) await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('s');
      await page.keyboard.press('Shift+ArrowRight');
    }
    assert.equal(await clips.count(), 28, '18 video and 10 audio clips');
    for (let i = 0; i < 2; i++) await add('flower.mp4');
    assert.equal(await clips.count(), 30);
    // Mouse: the last two song pieces selected (click, Shift+click) and dragged one second right together.
    const song = page.locator('[data-testid=lane-a1] [data-testid=clip]');
    await song.nth(9).click({ position: { x: 10, y: 40 } });
    await song.nth(8).click({ position: { x: 10, y: 40 }, modifiers: ['Shift'] });
    const before = await song.nth(9).boundingBox();
    await page.mouse.move(before.x + 10, before.y + 40);
    await page.mouse.down();
    await page.mouse.move(before.x + 70, before.y + 40, { steps: 6 });
    await page.mouse.up();
    const after = await song.nth(9).boundingBox();
    assert.ok(Math.abs(after.x - before.x - 60) < 3, `moved ${after.x - before.x}px`);
    await page.getByTestId('save-status').getByText(/Saved · revision/).waitFor({ timeout: 30_000 });
    // Frames along the video clips, from the server's strip of each video.
    await page.locator('[data-testid=lane-v1] [data-testid=clip-thumbs][data-status=ready]').first().waitFor({ timeout: 60_000 });
    assert.ok((await page.locator('[data-testid=lane-v1] .thumb-frame').count()) >= 20, 'frames drawn along the clips');
    await screenshot(page, 'editor-server-01-30-clips-1280x800');
    const timelineId = await page.evaluate(() => localStorage.getItem('videostudio.timeline_id'));
    const get = async () => (await fetch(`${server.base}/api/generate/video/timeline/${timelineId}`)).json();
    const built = (await get()).tracks;

    // Undo everything, step by step, then redo everything.
    let steps = 0;
    while (await undo.isEnabled()) {
      await page.keyboard.press('Control+z');
      steps++;
      assert.ok(steps < 200, 'undo ends');
    }
    assert.equal(await clips.count(), 0);
    t.diagnostic(`${steps} undo steps`);
    await page.getByTestId('save-status').getByText(/Saved · revision/).waitFor({ timeout: 30_000 });
    assert.equal((await get()).tracks.flatMap((tr) => tr.clips).length, 0, 'the empty timeline was saved');
    for (let i = 0; i < steps; i++) await page.keyboard.press(i % 2 ? 'Control+Shift+z' : 'Control+y');
    assert.equal(await clips.count(), 30);
    assert.equal(await page.getByRole('button', { name: 'Redo' }).isEnabled(), false);
    await page.getByTestId('save-status').getByText(/Saved · revision/).waitFor({ timeout: 30_000 });
    assert.deepEqual((await get()).tracks, built, 'redo gave back the same edit');

    // Render on the server and play.
    await page.getByTestId('render-preview').click();
    // While it renders, the bar shows what the text says.
    const samples = [];
    while ((await page.getByTestId('preview-status').getAttribute('data-status')) === 'processing') {
      const s = await page.evaluate(() => {
        const text = document.querySelector('.screen-msg strong')?.textContent ?? '';
        const bar = document.querySelector('.screen-msg .progress');
        const m = /(\d+)%/.exec(text);
        return m && bar ? [Number(m[1]) / 100, bar.firstElementChild.getBoundingClientRect().width / bar.getBoundingClientRect().width] : null;
      });
      if (s) samples.push(s);
      await page.waitForTimeout(150);
    }
    t.diagnostic(`render progress (text, bar): ${samples.map(([a, b]) => `${a.toFixed(2)}/${b.toFixed(2)}`).join(' ')}`);
    assert.ok(samples.length > 0, 'the progress was seen');
    const late = samples.filter(([text, bar]) => Math.abs(text - bar) > 0.1);
    assert.ok(late.length <= 1, `the bar lags its text: ${JSON.stringify(late)}`);
    await page.locator('[data-testid=preview-status][data-status=ready]').waitFor({ timeout: 300_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=preview-video]')?.readyState >= 2, null, { polling: 100, timeout: 30_000 });
    const expected = Math.max(...built.flatMap((tr) => tr.clips.map((c) => c.start + c.out - c.in)));
    const duration = await page.getByTestId('preview-video').evaluate((v) => v.duration);
    assert.ok(Math.abs(duration - expected) < 0.1, `proxy ${duration} s for a ${expected} s timeline`);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('[data-testid=preview-video]').currentTime > 0.3, null, { polling: 100, timeout: 10_000 });
    await page.keyboard.press('k');

    // Reload: the same 30 clips and the ready preview; the undo history starts again.
    await page.reload();
    await clips.nth(29).waitFor();
    assert.equal(await clips.count(), 30);
    await page.locator('[data-testid=preview-status][data-status=ready]').waitFor();
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByRole('button', { name: 'Fit' }).click();
    await screenshot(page, 'editor-server-02-reloaded-1024x700');
    assert.deepEqual(browser.errors, [], 'no error in the page');
  } catch (e) {
    if (browser) await screenshot(browser.page, 'editor-server-failure').catch(() => undefined);
    throw e;
  } finally {
    await browser?.close();
    await server.stop();
  }
});
