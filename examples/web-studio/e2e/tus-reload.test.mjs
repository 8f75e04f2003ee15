// The studio page resumes a tus upload after a PAGE RELOAD: the real server (the Helidon jar), the
// page in Debian's chromium, and between them a small TCP proxy that slows what the browser sends
// so the reload lands mid-upload. Choosing the same file again continues from the server's offset
// (tus-js-client's fingerprint in localStorage), and the server ends with one asset of the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, screenshot, startServer } from './support.mjs';

const sha1 = (bytes) => createHash('sha1').update(bytes).digest('hex');

/** A WAV of noise (16-bit stereo 48 kHz): random PCM the server's ffprobe accepts. */
function noiseWav(dataBytes) {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(2, 22);
  h.writeUInt32LE(48000, 24);
  h.writeUInt32LE(48000 * 4, 28);
  h.writeUInt16LE(4, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([h, randomBytes(dataBytes)]);
}

/**
 * A loopback proxy to `port` that passes what the browser sends at `rate` bytes/s at most (what
 * the server sends back is not slowed). It reads the browser eagerly and queues, so that a closed
 * browser connection (the reload) is seen at once and cuts the server's side there, as a dropped
 * network would: the queued rest is thrown away. `received` counts the bytes from the browser,
 * `sent` those passed to the server.
 */
async function slowProxy(port) {
  const state = { rate: 1_000_000, received: 0, sent: 0 };
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    upstream.pipe(client);
    const queue = [];
    let timer = null;
    const pump = () => {
      timer = null;
      const chunk = queue.shift();
      if (!chunk || upstream.destroyed) return;
      const piece = state.rate > 0 ? chunk.subarray(0, 16 * 1024) : chunk;
      if (piece.length < chunk.length) queue.unshift(chunk.subarray(piece.length));
      state.sent += piece.length;
      upstream.write(piece);
      timer = setTimeout(pump, state.rate > 0 ? (piece.length / state.rate) * 1000 : 0);
    };
    client.on('data', (chunk) => {
      state.received += chunk.length;
      queue.push(chunk);
      if (!timer) pump();
    });
    client.on('close', () => {
      queue.length = 0;
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    state,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

async function until(what, check, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

test('the studio page resumes a tus upload after a page reload', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'studio-tus-reload-'));
  const file = join(dir, 'long-noise.wav');
  const bytes = noiseWav(6 * 1024 * 1024);
  writeFileSync(file, bytes);
  const server = await startServer({ LOG_NAME: 'tus-reload-server.log' });
  const proxy = await slowProxy(Number(new URL(server.base).port));
  let browser = null;
  try {
    browser = await launch();
    const { page } = browser;
    await page.goto(proxy.base);
    await page.getByText('Drop audio, video or image files here').waitFor();

    // Start the upload; reload once the proxy has passed about a third of the file to the server.
    const before = proxy.state.sent;
    await page.setInputFiles('[data-testid=upload-input]', file);
    await until('a third of the file sent', () => proxy.state.sent - before > bytes.length / 3);
    const uploadUrl = await until('the upload URL in localStorage', () =>
      page.evaluate(() => {
        const key = Object.keys(localStorage).find((k) => k.startsWith('tus::'));
        return key ? JSON.parse(localStorage.getItem(key)).uploadUrl : null;
      }),
    );
    await page.reload();
    await page.getByText('Drop audio, video or image files here').waitFor();
    assert.equal(await page.locator('[data-testid=upload]').count(), 0, 'the reload dropped the running upload');

    // The server kept what arrived before the cut.
    const head = async () => {
      const r = await fetch(new URL(uploadUrl, server.base), { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
      return r.status === 200 ? Number(r.headers.get('Upload-Offset')) : null;
    };
    const kept = await until('the server to record the cut upload', async () => {
      const offset = await head();
      return offset > 0 ? offset : null;
    });
    assert.ok(kept > 0 && kept < bytes.length, `the server kept ${kept} of ${bytes.length} bytes`);

    // The same file again: the page finds the earlier upload and says from where it resumes.
    const receivedBeforeResume = proxy.state.received;
    await page.setInputFiles('[data-testid=upload-input]', file);
    const resumed = page.getByTestId('upload-resumed');
    await resumed.waitFor({ timeout: 30_000 });
    const shown = await resumed.textContent();
    assert.equal(shown, `resuming from ${Math.round((kept / bytes.length) * 100)}%`);
    await screenshot(page, 'tus-reload-01-resuming');
    proxy.state.rate = 0; // the point is made: let the rest through at full speed

    await page.locator('[data-testid=asset]').first().waitFor({ timeout: 60_000 });
    const resentBytes = proxy.state.received - receivedBeforeResume;
    assert.ok(resentBytes < bytes.length - kept + 64 * 1024,
      `only the rest was sent again (${resentBytes} bytes for ${bytes.length - kept} missing)`);

    const listed = await (await fetch(`${server.base}/api/media/video-assets`)).json();
    assert.equal(listed.length, 1, 'one asset');
    assert.equal(listed[0].filename, 'long-noise.wav');
    const stored = readFileSync(join(server.mediaRoot, 'video_assets', listed[0].stored_name));
    assert.equal(sha1(stored), sha1(bytes), 'the stored file is the file, byte for byte');
    const records = readdirSync(join(server.mediaRoot, 'uploads')).filter((f) => f.endsWith('.json'));
    assert.equal(records.length, 1, 'one tus upload on the server: resumed, not started again');
    assert.equal(
      await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tus::')).length),
      0,
      'the finished upload is forgotten in localStorage',
    );
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser?.close();
    proxy.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
