// The studio page as an editor (issue 12): each numbered problem of the issue, played in chromium
// against the stateful fake of the HTTP contract (fake-api.mjs). Screenshots at 1280x800 and 1024x700.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROAR, VIDEO, asset, openStudio, savedTimeline, withClips } from './fake-api.mjs';
import { paintedPixels, screenshot } from './support.mjs';

const SMALL = { width: 1024, height: 700 };

/** Runs a scenario, with a screenshot when it fails and no page error allowed. */
async function scenario(name, options, body) {
  const studio = await openStudio(options);
  try {
    await body(studio);
    assert.deepEqual(studio.errors, [], 'no error in the page');
  } catch (e) {
    await screenshot(studio.page, `editor-failure-${name}`).catch(() => undefined);
    console.log('API calls:', studio.state.log.join(', '));
    throw e;
  } finally {
    await studio.close();
  }
}

const videoReady = (page) => page.waitForFunction(() => document.querySelector('[data-testid=preview-video]')?.readyState >= 2, null, { polling: 100 });
const videoState = (page) => page.$eval('[data-testid=preview-video]', (v) => ({ paused: v.paused, time: v.currentTime, ended: v.ended, duration: v.duration }));

test('1. Play after the end plays again from the start (button and Space)', async () => {
  const t = withClips('t1', 'Flower', [[0, 'vid1', 0, 0, 5.02]]);
  await scenario('1', { assets: [VIDEO()], timelines: [t], remember: 't1' }, async ({ page }) => {
    await videoReady(page);
    // the ruler clicked past the end
    await page.getByTestId('ruler').click({ position: { x: 7 * 60, y: 10 } });
    await page.getByTestId('play').click();
    await page.waitForFunction(() => { const v = document.querySelector('[data-testid=preview-video]'); return !v.paused && v.currentTime > 0.1 && v.currentTime < 2; }, null, { polling: 50, timeout: 5000 });
    // played to its end, then Space
    await page.$eval('[data-testid=preview-video]', (v) => (v.currentTime = v.duration - 0.2));
    await page.waitForFunction(() => document.querySelector('[data-testid=preview-video]').ended, null, { polling: 50, timeout: 5000 });
    await page.keyboard.press('Space');
    await page.waitForFunction(() => { const v = document.querySelector('[data-testid=preview-video]'); return !v.paused && v.currentTime < 2; }, null, { polling: 50, timeout: 5000 });
    const s = await videoState(page);
    assert.equal(s.ended, false);
  });
});

test('2. Space plays and never clicks the focused button again', async () => {
  const t = withClips('t1', 'Flower', [[0, 'vid1', 0, 0, 5.02]]);
  await scenario('2', { assets: [VIDEO(), ROAR()], timelines: [t], remember: 't1' }, async ({ page }) => {
    await videoReady(page);
    await page.locator('[data-asset-id=aud1]').getByRole('button', { name: /Add/ }).click();
    assert.equal(await page.locator('[data-testid=clip]').count(), 2);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => !document.querySelector('[data-testid=preview-video]').paused, null, { polling: 50, timeout: 5000 });
    await page.waitForTimeout(200);
    assert.equal(await page.locator('[data-testid=clip]').count(), 2, 'the clip was not added again');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelector('[data-testid=preview-video]').paused, null, { polling: 50, timeout: 5000 });
  });
});

test('3. Fit shows the whole of a 5 minute timeline', async () => {
  const song = asset('song1', 'long-song.mp3', 'audio', 300);
  const t = withClips('t1', 'Long', [[0, 'vid1', 0, 0, 5.02], [1, 'song1', 0, 0, 300]], { proxy: false });
  await scenario('3', { assets: [VIDEO(), song], timelines: [t], remember: 't1' }, async ({ page }) => {
    await page.locator('[data-testid=lane-a1] [data-testid=clip]').waitFor();
    await page.getByRole('button', { name: 'Fit' }).click();
    await page.waitForTimeout(100);
    const clip = await page.locator('[data-testid=lane-a1] [data-testid=clip]').boundingBox();
    const view = await page.locator('.timeline-scroll').boundingBox();
    assert.ok(clip.x >= view.x && clip.x + clip.width <= view.x + view.width, `the 5:00 clip (${clip.x}..${clip.x + clip.width}) is inside the view (${view.x}..${view.x + view.width})`);
    await page.getByText('5:00', { exact: true }).first().waitFor();
  });
});

test('4. At 1024x700 with a clip selected, Remove is not covered and removes the clip', async () => {
  const t = withClips('t1', 'Flower', [[0, 'vid1', 0, 0, 5.02], [1, 'aud1', 1, 0, 3.6]]);
  await scenario('4', { assets: [VIDEO(), ROAR()], timelines: [t], remember: 't1', viewport: SMALL }, async ({ page }) => {
    await page.locator('[data-testid=lane-v1] [data-testid=clip]').click({ position: { x: 60, y: 40 } });
    const remove = page.getByRole('button', { name: 'Remove', exact: true });
    const box = await remove.boundingBox();
    const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.textContent, [box.x + box.width / 2, box.y + box.height / 2]);
    assert.equal(hit, 'Remove', 'the button is what is under its own centre');
    // nothing of the toolbar overlaps another control
    const boxes = await page.$$eval('.timeline-toolbar button, .timeline-toolbar input, .inspector button, .inspector input', (els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.top, r.right, r.bottom]));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        assert.ok(a[2] <= b[0] + 0.5 || b[2] <= a[0] + 0.5 || a[3] <= b[1] + 0.5 || b[3] <= a[1] + 0.5, `controls ${i} and ${j} overlap`);
      }
    const screen = await page.locator('.screen').boundingBox();
    assert.ok(screen.height >= 180 && screen.width >= 320, `the preview keeps a usable size (${screen.width}x${screen.height})`);
    await screenshot(page, 'editor-1024x700-selected');
    await remove.click();
    assert.equal(await page.locator('[data-testid=lane-v1] [data-testid=clip]').count(), 0);
  });
});

test('5. Timelines are listed, opened, renamed, duplicated and deleted; a fresh browser finds them', async () => {
  const trip = withClips('t1', 'Trip', [[0, 'vid1', 0, 0, 5.02]]);
  const roar = withClips('t2', 'Roar', [[1, 'aud1', 0, 0, 3.6]], { proxy: false });
  trip.updated_at = '2026-11-01T10:00:00Z';
  roar.updated_at = '2026-11-02T10:00:00Z';
  await scenario('5', { assets: [VIDEO(), ROAR()], timelines: [trip, roar] }, async ({ page, state }) => {
    const dialog = page.getByTestId('projects');
    await dialog.waitFor();
    assert.deepEqual(await dialog.locator('[data-testid=project] .name').allInnerTexts(), ['Roar', 'Trip']);
    await screenshot(page, 'editor-01-timelines');
    await dialog.locator('[data-timeline-id=t1]').getByRole('button', { name: 'Open' }).click();
    await page.locator('[data-testid=lane-v1] [data-testid=clip]').waitFor();
    assert.equal(await page.getByLabel('Timeline name').inputValue(), 'Trip');
    assert.equal(await page.evaluate(() => localStorage.getItem('videostudio.timeline_id')), 't1');

    // the asset of the other timeline: the 409 names it
    await page.locator('[data-asset-id=aud1]').getByRole('button', { name: /Delete/ }).click();
    await page.getByText(/used by the timeline “Roar”/).waitFor();

    await page.getByTestId('open-projects').click();
    await dialog.locator('[data-timeline-id=t2]').getByRole('button', { name: 'Rename' }).click();
    await dialog.getByLabel('New name').fill('Roar (final)');
    await dialog.getByLabel('New name').press('Enter');
    await dialog.getByText('Roar (final)').waitFor();
    assert.equal(state.timelines.get('t2').name, 'Roar (final)');
    await dialog.locator('[data-timeline-id=t2]').getByRole('button', { name: 'Duplicate' }).click();
    await dialog.getByText('Roar (final) (copy)').waitFor();
    for (const name of ['Roar (final) (copy)', 'Roar (final)']) {
      await dialog.locator('[data-testid=project]', { hasText: name }).getByRole('button', { name: /^Delete/ }).click();
      await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
      await dialog.locator('[data-testid=project]', { hasText: name }).waitFor({ state: 'detached' });
    }
    assert.deepEqual([...state.timelines.keys()], ['t1']);
    await page.getByRole('button', { name: 'Close' }).click();
    // now free: the asset goes
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.locator('[data-asset-id=aud1]').getByRole('button', { name: /Delete/ }).click();
    await page.locator('[data-asset-id=aud1]').waitFor({ state: 'detached' });

    // deleting the open timeline leaves an empty new one
    await page.getByTestId('open-projects').click();
    await dialog.locator('[data-timeline-id=t1]').getByRole('button', { name: /^Delete/ }).click();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.getByText('No saved timeline yet.').waitFor();
    assert.ok(state.log.includes('DELETE /api/generate/video/timeline/t1'));
    await page.getByRole('button', { name: 'Close' }).click();
    assert.equal(await page.locator('[data-testid=clip]').count(), 0);
    assert.equal(await page.evaluate(() => localStorage.getItem('videostudio.timeline_id')), null);
  });
});

test('6. Removing a clip and deleting its asset at once does not conflict', async () => {
  const t = withClips('t1', 'Roar', [[1, 'aud1', 0, 0, 3.6]]);
  await scenario('6', { assets: [VIDEO(), ROAR()], timelines: [t], remember: 't1' }, async ({ page, state }) => {
    await page.locator('[data-testid=lane-a1] [data-testid=clip]').click({ position: { x: 40, y: 40 } });
    await page.keyboard.press('Delete');
    await page.locator('[data-asset-id=aud1]').getByRole('button', { name: /Delete/ }).click();
    await page.locator('[data-asset-id=aud1]').waitFor({ state: 'detached' });
    assert.equal(await page.locator('.notice').count(), 0, 'no conflict shown');
    const order = state.log.filter((l) => l.startsWith('POST /api/generate/video/timeline') || l.startsWith('DELETE'));
    assert.deepEqual(order, ['POST /api/generate/video/timeline', 'DELETE /api/media/video-assets/aud1']);
  });
});

test('7. A drop that does not fit lands at the drop time on a new track, outlined while dragging', async () => {
  const song = asset('song1', 'long-song.mp3', 'audio', 100);
  const t = withClips('t1', 'Song', [[1, 'song1', 0, 0, 100]], { proxy: false });
  await scenario('7', { assets: [ROAR(), song], timelines: [t], remember: 't1' }, async ({ page }) => {
    await page.locator('[data-testid=lane-a1] [data-testid=clip]').waitFor();
    const lane = await page.getByTestId('lane-a1').boundingBox();
    const source = await page.locator('[data-asset-id=aud1]').boundingBox();
    await page.mouse.move(source.x + 30, source.y + 20);
    await page.mouse.down();
    await page.mouse.move(lane.x + 40, lane.y + 30, { steps: 8 });
    await page.mouse.move(lane.x + 2, lane.y + 30, { steps: 4 });
    await page.waitForTimeout(150);
    await page.mouse.move(lane.x + 1, lane.y + 30);
    const ghost = page.getByTestId('drop-ghost');
    await ghost.waitFor();
    const g = await ghost.boundingBox();
    assert.ok(Math.abs(g.x - lane.x) < 4, `the outline starts at the drop time (${g.x - lane.x}px)`);
    await screenshot(page, 'editor-02-drop-outline');
    await page.mouse.up();
    const placed = page.locator('[data-testid=lane-a2] [data-testid=clip]');
    await placed.waitFor();
    const p = await placed.boundingBox();
    assert.ok(Math.abs(p.x - lane.x) < 4, `placed at 0:00 on A2 (${p.x - lane.x}px from the lane start)`);
    assert.equal(await page.getByTestId('drop-ghost').count(), 0);
  });
});

test('8. Mute and volume show on the clip; quiet audio is drawn as a shape', async () => {
  const quiet = asset('q1', 'whisper.mp3', 'audio', 4);
  const t = withClips('t1', 'Quiet', [[1, 'q1', 0, 0, 4]], { proxy: false });
  await scenario('8', { assets: [quiet], timelines: [t], remember: 't1', quiet: ['q1'] }, async ({ page, state }) => {
    const clip = page.locator('[data-testid=lane-a1] [data-testid=clip]');
    const canvas = '[data-testid=lane-a1] [data-testid=waveform-canvas]';
    await page.locator(canvas).waitFor();
    await page.waitForTimeout(200);
    const area = await page.$eval(canvas, (c) => c.width * c.height);
    const painted = await paintedPixels(page, canvas);
    assert.ok(painted > 0.15 * area, `a quiet waveform fills ${(100 * painted / area).toFixed(1)} % (a flat line is ~2 %)`);
    await clip.click({ position: { x: 40, y: 40 } });
    await page.getByTestId('clip-mute').click();
    const mark = clip.getByTestId('clip-muted');
    await mark.waitFor();
    assert.equal(await mark.locator('svg').count(), 1, 'a drawn icon, not an emoji');
    assert.doesNotMatch(await clip.innerText(), /\p{Extended_Pictographic}/u);
    await page.getByTestId('clip-mute').click();
    await page.getByTestId('clip-db').fill('-6');
    await page.getByTestId('clip-db').press('Enter');
    await clip.getByTestId('clip-volume').getByText('−6.0 dB').waitFor();
    await page.getByTestId('clip-fade-in').fill('1');
    await page.getByTestId('clip-fade-in').press('Enter');
    await clip.getByTestId('clip-fades').waitFor();
    await page.getByTestId('save-status').getByText(/Saved/).waitFor();
    const sent = state.timelines.get('t1').tracks[1].clips[0];
    assert.equal(sent.fade_in, 1);
    assert.ok(Math.abs(sent.volume - 0.501) < 0.01, `volume ${sent.volume}`);
  });
});

test('9. A reload never shows the empty timeline before the saved one', async () => {
  const t = withClips('t1', 'Holiday', [[0, 'vid1', 0, 0, 5.02]]);
  const studio = await openStudio({ assets: [VIDEO()], timelines: [t], remember: 't1' });
  const { page, state } = studio;
  try {
    await page.locator('[data-testid=clip]').waitFor();
    state.timelineDelayMs = 700;
    await page.evaluate(() => {
      // records whether the empty timeline shows at any frame of the reload
      window.sessionStorage.setItem('watch', '1');
    });
    await page.addInitScript(() => {
      if (!sessionStorage.getItem('watch')) return;
      const seen = [];
      const check = () => {
        const name = document.querySelector('[aria-label="Timeline name"]');
        if (name && name.value === 'Untitled timeline') seen.push('untitled');
        if (document.body && document.body.innerText.includes('Nothing to preview yet')) seen.push('nothing');
        window.__seen = seen;
        requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
    await page.reload();
    await page.getByTestId('opening').waitFor();
    await page.locator('[data-testid=clip]').waitFor();
    assert.equal(await page.getByLabel('Timeline name').inputValue(), 'Holiday');
    assert.deepEqual(await page.evaluate(() => [...new Set(window.__seen)]), []);
    assert.deepEqual(studio.errors, []);
  } finally {
    await studio.close();
  }
});

test('10. The render progress bars show what their text says', async () => {
  const t = withClips('t1', 'Flower', [[0, 'vid1', 0, 0, 5.02]]);
  await scenario('10', { assets: [VIDEO()], timelines: [t], remember: 't1' }, async ({ page, state }) => {
    await videoReady(page);
    state.jobProgress = Array(20).fill(0.93);
    // a new render over the previous one: the strip along the top of the picture
    await page.getByRole('button', { name: 'Re-render' }).click();
    await page.getByText('Rendering a new preview… 93%').waitFor();
    await page.waitForTimeout(400);
    const strip = await page.$eval('.render-strip', (bar) => bar.firstElementChild.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width);
    assert.ok(Math.abs(strip - 0.93) < 0.03, `strip at ${(strip * 100).toFixed(1)} %`);
    await screenshot(page, 'editor-03-rerender');
  });
  // the first render: the bar under the spinner
  const fresh = withClips('t1', 'Flower', [[0, 'vid1', 0, 0, 5.02]], { proxy: false });
  await scenario('10b', { assets: [VIDEO()], timelines: [fresh], remember: 't1' }, async ({ page, state }) => {
    state.jobProgress = Array(20).fill(0.93);
    await page.getByTestId('render-preview').click();
    await page.getByText('Rendering the preview… 93%').waitFor();
    await page.waitForTimeout(400);
    const ratio = await page.$eval('.screen-msg .progress', (bar) => bar.firstElementChild.getBoundingClientRect().width / bar.getBoundingClientRect().width);
    assert.ok(Math.abs(ratio - 0.93) < 0.03, `bar at ${(ratio * 100).toFixed(1)} %`);
  });
});

test('11. The smaller rough edges', async () => {
  const t = withClips('t1', 'Flower', [[0, 'vid1', 0, 0, 5.02]]);
  await scenario('11', { assets: [VIDEO(), ROAR()], timelines: [t], remember: 't1' }, async ({ page, state }) => {
    await videoReady(page);
    // the transport shows the timeline's length, not the proxy file's (5.06 s)
    assert.match(await page.getByTestId('preview-time').innerText(), /\/ 0:05\.02$/);

    // "+ Video track" goes under the video tracks, above the audio ones; tracks can be removed
    await page.getByRole('button', { name: '+ Video track' }).click();
    assert.deepEqual(await page.getByTestId('track-label').allInnerTexts(), ['V1', 'V2', 'A1']);
    await page.getByRole('button', { name: 'Remove track V2' }).click();
    assert.deepEqual(await page.getByTestId('track-label').allInnerTexts(), ['V1', 'A1']);
    // track mute and solo reach the saved timeline
    await page.getByRole('button', { name: 'Mute A1' }).click();
    await page.getByRole('button', { name: 'Solo V1' }).click();
    const flags = () => state.timelines.get('t1').tracks.map((t) => [t.id, !!t.muted, !!t.solo]);
    for (let i = 0; i < 50 && JSON.stringify(flags()) !== JSON.stringify([['v1', false, true], ['a1', true, false]]); i++) await page.waitForTimeout(100);
    assert.deepEqual(flags(), [['v1', false, true], ['a1', true, false]], 'saved by the autosave');

    // zooming keeps the playhead where it was on screen
    await page.getByTestId('ruler').click({ position: { x: 4 * 60, y: 10 } });
    const before = (await page.getByTestId('playhead').boundingBox()).x;
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.waitForTimeout(100);
    const after = (await page.getByTestId('playhead').boundingBox()).x;
    assert.ok(Math.abs(after - before) < 3, `the playhead moved ${after - before}px on screen`);

    // "Drop to upload" hides the list under it
    const dt = await page.evaluateHandle(() => {
      const d = new DataTransfer();
      d.items.add(new File(['x'], 'x.mp4', { type: 'video/mp4' }));
      return d;
    });
    await page.dispatchEvent('section[aria-label="Media library"]', 'dragover', { dataTransfer: dt });
    const overlay = page.locator('.drop-overlay');
    await overlay.waitFor();
    const alpha = await overlay.evaluate((el) => Number(/rgba?\(([^)]+)\)/.exec(getComputedStyle(el).backgroundColor)[1].split(',')[3] ?? 1));
    assert.ok(alpha > 0.85, `overlay opacity ${alpha}`);
    await page.dispatchEvent('section[aria-label="Media library"]', 'dragleave', { dataTransfer: dt });
    await overlay.waitFor({ state: 'detached' });

    // an upload fully sent shows that the server checks it, with no Cancel
    let release;
    state.holdUploads = new Promise((ok) => (release = ok));
    await page.setInputFiles('[data-testid=upload-input]', { name: 'clip.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(200_000) });
    await page.locator('[data-testid=upload]').waitFor();
    await page.getByTestId('upload-checking').waitFor();
    assert.equal(await page.locator('[data-testid=upload]').getByRole('button', { name: 'Cancel' }).count(), 0);
    release();
    await page.locator('[data-testid=upload]').waitFor({ state: 'detached' });
  });
});

test('Box selection, a move of the selection, delete and undo with the keys', async () => {
  const t = withClips('t1', 'Three', [[0, 'vid1', 0, 0, 2], [0, 'vid1', 2, 2, 4], [1, 'aud1', 0, 0, 3.6]], { proxy: false });
  await scenario('box', { assets: [VIDEO(), ROAR()], timelines: [t], remember: 't1' }, async ({ page, state }) => {
    const clips = page.locator('[data-testid=clip]');
    await clips.nth(2).waitFor();
    // a box from an empty spot after the clips, dragged back over the first video clip and the audio clip
    const v1 = await page.getByTestId('lane-v1').boundingBox();
    const a1 = await page.getByTestId('lane-a1').boundingBox();
    await page.mouse.move(v1.x + 5.5 * 60, v1.y + 10);
    await page.mouse.down();
    await page.mouse.move(v1.x + 60, a1.y + 30, { steps: 6 });
    await page.screenshot({ path: 'test-results/editor-04-box.png' });
    await page.mouse.up();
    assert.equal(await page.locator('.clip.selected').count(), 3, 'the box touched all three clips');
    // Ctrl+click takes one out; the two left move together by dragging one of them
    await page.locator('[data-testid=lane-v1] [data-testid=clip]').first().click({ position: { x: 20, y: 40 }, modifiers: ['Control'] });
    assert.equal(await page.locator('.clip.selected').count(), 2);
    const second = page.locator('[data-testid=lane-v1] [data-testid=clip]').nth(1);
    const b = await second.boundingBox();
    await page.mouse.move(b.x + 20, b.y + 40);
    await page.mouse.down();
    await page.mouse.move(b.x + 20 + 60, b.y + 40, { steps: 5 });
    await page.mouse.up();
    const audio = await page.locator('[data-testid=lane-a1] [data-testid=clip]').boundingBox();
    assert.ok(Math.abs(audio.x - a1.x - 60) < 3, `the audio clip moved with it (${audio.x - a1.x}px)`);
    // Delete removes both; Ctrl+Z brings both back; Ctrl+Y removes them again
    await page.keyboard.press('Delete');
    assert.equal(await clips.count(), 1);
    await page.keyboard.press('Control+z');
    assert.equal(await clips.count(), 3);
    await page.keyboard.press('Control+y');
    assert.equal(await clips.count(), 1);
    for (let i = 0; i < 50 && state.timelines.get('t1').tracks.flatMap((x) => x.clips).length !== 1; i++) await page.waitForTimeout(100);
    assert.equal(state.timelines.get('t1').tracks.flatMap((x) => x.clips).length, 1, 'saved');
  });
});
