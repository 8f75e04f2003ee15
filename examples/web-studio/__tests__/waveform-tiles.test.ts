// Unit tests of the waveform tiles: level choice, tile spans and URLs, the binary format, drawing
// from the tiles at hand, and the store fetching each tile once.
import { describe, expect, it, vi } from 'vitest';
import { columnsFromTiles, levelFor, parseTile, peakOfTiles, tileKey, tileSeconds, tileUrl, tilesFor, type Tile } from '../src/waveform-tiles';
import { createVideoStudioStore } from '../src/store';

/** A tile as the server sends it: .dat v2 header (8-bit), min/max pairs, then low, mid, high bytes. */
function tileBytes(length: number, value: (i: number) => number, sampleRate = 48000, spp = 1024): ArrayBuffer {
  const buf = new ArrayBuffer(24 + 5 * length);
  const v = new DataView(buf);
  [2, 1, sampleRate, spp, length, 1].forEach((x, i) => v.setInt32(4 * i, x, true));
  const bytes = new Int8Array(buf);
  for (let i = 0; i < length; i++) {
    bytes[24 + 2 * i] = -value(i);
    bytes[24 + 2 * i + 1] = value(i);
    bytes[24 + 2 * length + i] = 10; // low
    bytes[24 + 3 * length + i] = 20; // mid
    bytes[24 + 4 * length + i] = 30; // high
  }
  return buf;
}

describe('levels and tiles', () => {
  it('picks the finest power-of-two level not finer than a device pixel', () => {
    expect(levelFor(44100, 400)).toBe(256); // 110 samples per pixel drawn: the finest level
    expect(levelFor(44100, 100)).toBe(512); // 441
    expect(levelFor(44100, 60)).toBe(1024); // 735
    expect(levelFor(44100, 44100 / 1024)).toBe(1024);
    expect(levelFor(44100, 1280 / 3600)).toBe(131072); // a whole hour on 1280 px
    expect(levelFor(44100, 0.001)).toBe(256 << 12);
  });

  it('covers a span with whole tiles, clamped to the audio', () => {
    const span = tileSeconds(1024, 48000); // 21.845 s
    expect(tilesFor(1024, 48000, 0, 10, 100)).toEqual([0]);
    expect(tilesFor(1024, 48000, span - 1, span + 1, 100)).toEqual([0, 1]);
    expect(tilesFor(1024, 48000, 30, 1000, 100)).toEqual([1, 2, 3, 4]);
    expect(tilesFor(1024, 48000, -5, 5, 100)).toEqual([0]);
  });

  it('names a tile by its level and span, 8-bit with bands', () => {
    expect(tileUrl('/w', 512, 3, 44100)).toBe(`/w?samples_per_pixel=512&bits=8&format=dat&bands=true&start=${3 * tileSeconds(512, 44100)}&end=${4 * tileSeconds(512, 44100)}`);
  });

  it('reads the binary tile and refuses what is not one', () => {
    const t = parseTile(tileBytes(3, (i) => 10 * (i + 1)), 1024, 7);
    expect(t).toMatchObject({ level: 1024, index: 7, sampleRate: 48000, length: 3 });
    expect(Array.from(t.min)).toEqual([-10, -20, -30]);
    expect(Array.from(t.max)).toEqual([10, 20, 30]);
    expect(Array.from(t.high)).toEqual([30, 30, 30]);
    expect(() => parseTile(new ArrayBuffer(10), 1024, 0)).toThrow();
    expect(() => parseTile(tileBytes(3, () => 1).slice(0, 30), 1024, 0)).toThrow();
    expect(peakOfTiles([t])).toBeCloseTo(30 / 128);
  });
});

describe('columnsFromTiles', () => {
  const tiles = new Map<string, Tile>();
  const put = (level: number, index: number, value: (i: number) => number) =>
    tiles.set(tileKey(level, index), parseTile(tileBytes(1024, value, 48000, level), level, index));
  const lookup = (l: number, i: number) => tiles.get(tileKey(l, i));

  it('draws from the wanted level, then the nearest level at hand, and counts what is missing', () => {
    tiles.clear();
    put(1024, 0, () => 64);
    put(4096, 0, () => 32);
    // 0..21.8 s is tile 0 at 1024: all from the wanted level
    const a = columnsFromTiles(lookup, 48000, 1024, 0, 20, 4);
    expect(Array.from(a.max)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(a.missing).toBe(0);
    // 21.8..43.7 s has no 1024 tile: the coarser 4096 tile fills in
    const b = columnsFromTiles(lookup, 48000, 1024, 22, 40, 2);
    expect(Array.from(b.max)).toEqual([0.25, 0.25]);
    // past the 4096 tile (87 s) nothing is at hand
    const c = columnsFromTiles(lookup, 48000, 1024, 90, 100, 2);
    expect(c.missing).toBe(2);
    expect(Array.from(c.max)).toEqual([0, 0]);
    expect(a.bands!.high[0]).toBeCloseTo(30 / 127);
  });
});

describe('the store fetches tiles', () => {
  const base = '/api/media/video-assets/a/waveform';
  const first = tileUrl(base, 1024, 2, 48000);

  function fetchOf(answers: Record<string, () => Response>) {
    return vi.fn(async (url: string) => {
      const a = answers[url];
      if (!a) throw new Error(`unexpected ${url}`);
      return a();
    });
  }
  const bin = (buf: ArrayBuffer) => () => new Response(buf, { status: 200, headers: { 'Content-Type': 'application/octet-stream' } });

  it('follows processing with the first visible tile, then asks each other tile once', async () => {
    let polls = 0;
    const fetch = fetchOf({
      [first]: () =>
        ++polls < 3
          ? new Response(JSON.stringify({ status: 'processing', job_id: 'j', progress: 0.5 }), { status: 202, headers: { 'Content-Type': 'application/json', 'Retry-After': '1' } })
          : bin(tileBytes(1024, () => 5))(),
      [tileUrl(base, 1024, 3, 48000)]: bin(tileBytes(100, () => 7)),
    });
    const sleeps: number[] = [];
    const store = createVideoStudioStore({ fetch, upload: () => { throw new Error('no upload in this test'); }, sleep: async (ms) => void sleeps.push(ms), storage: null });
    await store.getState().ensureWaveform('a', { level: 1024, index: 2, sampleRate: 48000 });
    expect(polls).toBe(3);
    expect(sleeps).toEqual([1000, 1000]);
    expect(store.getState().waveforms.a).toEqual({ status: 'ready', waveform: null, source: 'tiles' });
    expect(store.getState().tileOf('a', 1024, 2)?.max[0]).toBe(5);
    await Promise.all([
      store.getState().loadWaveformTiles('a', 1024, [2, 3], 48000),
      store.getState().loadWaveformTiles('a', 1024, [3], 48000),
    ]);
    expect(fetch.mock.calls.filter(([u]) => u === tileUrl(base, 1024, 3, 48000))).toHaveLength(1);
    expect(fetch.mock.calls.filter(([u]) => u === first)).toHaveLength(3);
    expect(store.getState().tileOf('a', 1024, 3)?.length).toBe(100);
    expect(store.getState().waveformTiles.a).toBe(2);
  });

  it('keeps failed and no_audio as before when asking for a tile', async () => {
    const fetch = fetchOf({
      [first]: () => new Response(JSON.stringify({ status: 'failed', error: { code: 'ffmpeg_failed', message: 'bad' } }), { status: 200, headers: { 'Content-Type': 'application/json' } }),
      [tileUrl('/api/media/video-assets/n/waveform', 1024, 2, 48000)]: () =>
        new Response(JSON.stringify({ error: { code: 'no_audio', message: 'none' } }), { status: 422, headers: { 'Content-Type': 'application/json' } }),
    });
    const store = createVideoStudioStore({ fetch, upload: () => { throw new Error('no upload in this test'); }, sleep: async () => {}, storage: null });
    await store.getState().ensureWaveform('a', { level: 1024, index: 2, sampleRate: 48000 });
    expect(store.getState().waveforms.a).toMatchObject({ status: 'failed', error: { code: 'ffmpeg_failed' } });
    await store.getState().ensureWaveform('n', { level: 1024, index: 2, sampleRate: 48000 });
    expect(store.getState().waveforms.n).toMatchObject({ status: 'no_audio' });
  });
});
