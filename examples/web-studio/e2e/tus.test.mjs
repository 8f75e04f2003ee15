// Interoperability: the official tus-js-client, running in Node, against the REAL server (the
// Helidon jar): chunked uploads, resumption of an interrupted upload, a refused file, termination.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Upload } from 'tus-js-client';
import { sharedMedia, startServer } from './support.mjs';

const sha1 = (bytes) => createHash('sha1').update(bytes).digest('hex');

/** Runs one tus-js-client upload to its end; resolves with the Upload, rejects with its error. */
function upload(base, bytes, options) {
  return new Promise((resolve, reject) => {
    const u = new Upload(bytes, {
      endpoint: `${base}/api/media/uploads`,
      retryDelays: [0, 500],
      ...options,
      onSuccess: (payload) => resolve({ upload: u, payload }),
      onError: reject,
    });
    options.started?.(u);
    u.start();
  });
}

test('tus-js-client in Node against the real server', { timeout: 180_000 }, async (t) => {
  const media = sharedMedia();
  const server = await startServer();
  try {
    await t.test('a chunked upload becomes the asset, byte for byte', async () => {
      const bytes = readFileSync(join(media, 'friday.mp4'));
      const progress = [];
      const { upload: u, payload } = await upload(server.base, bytes, {
        chunkSize: 200_000,
        metadata: { filename: 'friday.mp4', filetype: 'video/mp4' },
        onChunkComplete: (_size, done) => progress.push(done),
      });
      assert.deepEqual(progress, [200_000, 400_000, bytes.length], 'three PATCHes');
      const assetId = payload.lastResponse.getHeader('Asset-Id');
      assert.match(assetId, /^a_/);
      const asset = await (await fetch(u.url)).json();
      assert.equal(asset.asset_id, assetId);
      assert.equal(asset.filename, 'friday.mp4');
      assert.equal(asset.kind, 'video');
      assert.equal(asset.size_bytes, bytes.length);
      const stored = Buffer.from(await (await fetch(`${server.base}${asset.url}`)).arrayBuffer());
      assert.equal(sha1(stored), sha1(bytes));
    });

    await t.test('an interrupted upload resumes from the server offset', async () => {
      const bytes = readFileSync(join(media, 'flower.mp4'));
      let first;
      await new Promise((resolve, reject) => {
        first = new Upload(bytes, {
          endpoint: `${server.base}/api/media/uploads`,
          chunkSize: 300_000,
          metadata: { filename: 'flower.mp4' },
          onChunkComplete: () => {
            first.abort(false).then(resolve, reject); // stop after one chunk, keep it on the server
          },
          onError: reject,
        });
        first.start();
      });
      const head = await fetch(first.url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
      assert.equal(head.headers.get('Upload-Offset'), '300000');
      const sent = [];
      const { upload: second } = await upload(server.base, bytes, {
        uploadUrl: first.url,
        chunkSize: 300_000,
        onProgress: (loaded) => sent.push(loaded),
      });
      assert.equal(second.url, first.url);
      assert.ok(Math.min(...sent) >= 300_000, `resumed after the first chunk, not from 0 (${sent})`);
      const asset = await (await fetch(second.url)).json();
      const stored = Buffer.from(await (await fetch(`${server.base}${asset.url}`)).arrayBuffer());
      assert.equal(sha1(stored), sha1(bytes));
    });

    await t.test('a file that is not media is refused with the contract error', async () => {
      const bytes = readFileSync(join(media, 'LICENSES.md'));
      await assert.rejects(upload(server.base, bytes, { metadata: { filename: 'LICENSES.md' } }), (e) => {
        assert.equal(e.originalResponse?.getStatus(), 415);
        assert.equal(JSON.parse(e.originalResponse.getBody()).error.code, 'unsupported_media');
        return true;
      });
    });

    await t.test('abort(true) terminates the upload on the server', async () => {
      const bytes = readFileSync(join(media, 'outfoxing.mp3'));
      let u;
      await new Promise((resolve, reject) => {
        u = new Upload(bytes, {
          endpoint: `${server.base}/api/media/uploads`,
          chunkSize: 500_000,
          onChunkComplete: () => u.abort(true).then(resolve, reject),
          onError: reject,
        });
        u.start();
      });
      const head = await fetch(u.url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
      assert.equal(head.status, 404);
    });
  } finally {
    await server.stop();
  }
});
