// Waveform tiles: the page asks the server for the level that matches its zoom, 8-bit with bands,
// one fixed tile (1024 level pixels) at a time, for the visible span plus a margin. Tiles have
// fixed URLs, so the browser caches them (the server marks them immutable) and a reload costs
// nothing; what a clip has already fetched at other levels fills in while finer tiles arrive.
import { ApiError, errorInfoOf, type ApiResult, type FetchLike, type WaveformResponse } from './api';
import { browserTokens, fetchWithToken } from './auth';
import type { Columns } from './waveform';

/** Pixels per tile: the server widens spans to whole tiles of this size. */
export const TILE_PIXELS = 1024;
/** The finest level the server stores. */
export const BASE_SPP = 256;
/** The coarsest level the page asks for (a tile then covers 25 minutes at 44.1 kHz). */
export const MAX_SPP = BASE_SPP << 12;

/** One tile of one level: per pixel min/max (-128..127) and low/mid/high band energies (0..127). */
export interface Tile {
  level: number;
  index: number;
  sampleRate: number;
  /** Pixels in this tile (the last tile of a level is shorter). */
  length: number;
  min: Int8Array;
  max: Int8Array;
  low: Uint8Array;
  mid: Uint8Array;
  high: Uint8Array;
}

/**
 * The level (samples per pixel) for a zoom: the finest power-of-two multiple of 256 that is not
 * finer than one device pixel, so no more is fetched than is drawn.
 */
export function levelFor(sampleRate: number, devicePxPerSecond: number): number {
  const drawn = sampleRate / Math.max(1e-9, devicePxPerSecond);
  let level = BASE_SPP;
  while (level < drawn && level < MAX_SPP) level *= 2;
  return level;
}

/** Seconds one tile of {@code level} covers. */
export function tileSeconds(level: number, sampleRate: number): number {
  return (TILE_PIXELS * level) / sampleRate;
}

/** Indexes of the tiles of {@code level} covering source seconds [from, to) (clamped to [0, duration)). */
export function tilesFor(level: number, sampleRate: number, from: number, to: number, duration: number): number[] {
  const span = tileSeconds(level, sampleRate);
  const first = Math.max(0, Math.floor(Math.max(0, from) / span));
  const last = Math.max(first, Math.ceil(Math.min(to, duration) / span) - 1);
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(i);
  return out;
}

export const tileKey = (level: number, index: number) => `${level}:${index}`;

/** The URL of one tile: fixed for a tile, so the browser's cache and the server's answer cache hit. */
export function tileUrl(base: string, level: number, index: number, sampleRate: number): string {
  const span = tileSeconds(level, sampleRate);
  return `${base}?samples_per_pixel=${level}&bits=8&format=dat&bands=true&start=${index * span}&end=${(index + 1) * span}`;
}

/** Reads a tile: an audiowaveform .dat (version 2, 8-bit) followed by low, mid and high band bytes. */
export function parseTile(buffer: ArrayBuffer, level: number, index: number): Tile {
  const view = new DataView(buffer);
  if (buffer.byteLength < 24 || view.getInt32(0, true) !== 2 || (view.getInt32(4, true) & 1) !== 1) {
    throw new Error('not an 8-bit waveform tile');
  }
  const sampleRate = view.getInt32(8, true);
  const length = view.getInt32(16, true);
  const channels = view.getInt32(20, true);
  if (channels !== 1 || buffer.byteLength < 24 + 5 * length) throw new Error('waveform tile cut short');
  const peaks = new Int8Array(buffer, 24, 2 * length);
  const min = new Int8Array(length);
  const max = new Int8Array(length);
  for (let i = 0; i < length; i++) {
    min[i] = peaks[2 * i];
    max[i] = peaks[2 * i + 1];
  }
  const at = 24 + 2 * length;
  return {
    level,
    index,
    sampleRate,
    length,
    min,
    max,
    low: new Uint8Array(buffer.slice(at, at + length)),
    mid: new Uint8Array(buffer.slice(at + length, at + 2 * length)),
    high: new Uint8Array(buffer.slice(at + 2 * length, at + 3 * length)),
  };
}

/** Looks a tile up in what a clip has fetched. */
export type TileLookup = (level: number, index: number) => Tile | undefined;

/** Levels to draw a column from, best first: the wanted one, then coarser, then finer ones. */
export function fallbackLevels(wanted: number): number[] {
  const out = [wanted];
  for (let l = wanted * 2; l <= MAX_SPP; l *= 2) out.push(l);
  for (let l = wanted / 2; l >= BASE_SPP; l /= 2) out.push(l);
  return out;
}

/**
 * Peaks of source seconds [from, to) in {@code columns} columns from the tiles at hand: each
 * column uses the wanted level when its tiles are there, otherwise the nearest level that is.
 * Columns with nothing yet stay empty ({@code missing} counts them).
 */
export function columnsFromTiles(
  lookup: TileLookup,
  sampleRate: number,
  wanted: number,
  from: number,
  to: number,
  columns: number,
  gain = 1,
): Columns & { missing: number } {
  const n = Math.max(1, Math.floor(columns));
  const min = new Float32Array(n);
  const max = new Float32Array(n);
  const low = new Float32Array(n);
  const mid = new Float32Array(n);
  const high = new Float32Array(n);
  const levels = fallbackLevels(wanted);
  let missing = 0;
  for (let x = 0; x < n; x++) {
    const t0 = from + ((to - from) * x) / n;
    const t1 = from + ((to - from) * (x + 1)) / n;
    let done = false;
    for (const level of levels) {
      const pps = sampleRate / level;
      const p0 = Math.max(0, Math.floor(t0 * pps));
      const p1 = Math.max(p0 + 1, Math.ceil(t1 * pps));
      let lo = 0;
      let hi = 0;
      let bl = 0;
      let bm = 0;
      let bh = 0;
      let ok = true;
      for (let p = p0; p < p1 && ok; p++) {
        const tile = lookup(level, Math.floor(p / TILE_PIXELS));
        if (!tile) {
          ok = false;
          break;
        }
        const i = p - tile.index * TILE_PIXELS;
        if (i >= tile.length) break; // past the end of the audio
        if (tile.min[i] < lo) lo = tile.min[i];
        if (tile.max[i] > hi) hi = tile.max[i];
        if (tile.low[i] > bl) bl = tile.low[i];
        if (tile.mid[i] > bm) bm = tile.mid[i];
        if (tile.high[i] > bh) bh = tile.high[i];
      }
      if (!ok) continue;
      min[x] = Math.max(-1, (lo / 128) * gain);
      max[x] = Math.min(1, (hi / 128) * gain);
      low[x] = bl / 127;
      mid[x] = bm / 127;
      high[x] = bh / 127;
      done = true;
      break;
    }
    if (!done) missing++;
  }
  return { min, max, bands: { low, mid, high }, missing };
}

/** Loudest value of the tiles at hand, 0..1: the display gain follows it (it only settles, never jumps up). */
export function peakOfTiles(tiles: Iterable<Tile>): number {
  let m = 0;
  for (const t of tiles) {
    for (let i = 0; i < t.length; i++) m = Math.max(m, -t.min[i], t.max[i]);
  }
  return Math.min(1, m / 128);
}

/** A waveform answer: a binary tile when ready, otherwise the contract's JSON (processing, failed, or a whole waveform). */
export type WaveformAnswer =
  | { kind: 'tile'; buffer: ArrayBuffer }
  | { kind: 'json'; result: ApiResult<WaveformResponse> };

/** Asks for a waveform (a tile URL or the plain path); errors (>= 400, network) become ApiError like {@code call}. */
export async function fetchWaveform(fetchFn: FetchLike, method: string, url: string): Promise<WaveformAnswer> {
  let response: Response;
  try {
    // with the token when auth is on, like every other API call (see auth.ts)
    response = await fetchWithToken(fetchFn, url, { method, headers: { Accept: 'application/octet-stream, application/json' } }, browserTokens());
  } catch (e) {
    throw new ApiError(0, { code: 'network', message: `The server could not be reached (${(e as Error).message}).` });
  }
  const type = response.headers.get('Content-Type') ?? '';
  if (response.ok && type.startsWith('application/octet-stream')) {
    return { kind: 'tile', buffer: await response.arrayBuffer() };
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) throw new ApiError(response.status, errorInfoOf(parsed, response.status));
  const retry = Number(response.headers.get('Retry-After'));
  return {
    kind: 'json',
    result: { status: response.status, body: parsed as WaveformResponse, retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null },
  };
}
