// Reading the audiowaveform JSON (version 2) for drawing: peaks per canvas column, optional band colours.
import type { WaveformData } from './api';

export interface Bands {
  low: ArrayLike<number>;
  mid: ArrayLike<number>;
  high: ArrayLike<number>;
}

/** Per-pixel band energies when the server sent them (as `bands: {low, mid, high}` or top-level arrays). */
export function bandsOf(w: WaveformData): Bands | null {
  const nested = w.bands as Partial<Record<'low' | 'mid' | 'high', unknown>> | undefined;
  const src = nested && typeof nested === 'object' ? nested : (w as Record<string, unknown>);
  const { low, mid, high } = src as Record<string, unknown>;
  if (Array.isArray(low) && Array.isArray(mid) && Array.isArray(high) && low.length > 0) {
    return { low, mid, high };
  }
  return null;
}

export interface Columns {
  /** Per column, -1..1, all channels merged. */
  min: Float32Array;
  max: Float32Array;
  /** Per column 0..1 shares of low/mid/high energy, when the waveform has bands. */
  bands: { low: Float32Array; mid: Float32Array; high: Float32Array } | null;
}

/**
 * Peaks of the source interval [from, to) seconds, reduced to {@code columns} columns: each column
 * takes the extreme of the waveform pixels it covers, so nothing is lost however far one zooms out.
 */
export function columnsFor(w: WaveformData, from: number, to: number, columns: number, gain = 1): Columns {
  const n = Math.max(1, Math.floor(columns));
  const min = new Float32Array(n);
  const max = new Float32Array(n);
  const bands = bandsOf(w);
  const out = bands ? { low: new Float32Array(n), mid: new Float32Array(n), high: new Float32Array(n) } : null;
  const scale = w.bits === 16 ? 32768 : 128;
  const channels = Math.max(1, w.channels);
  const pixelsPerSecond = w.sample_rate / w.samples_per_pixel;
  const bandScale = bands ? Math.max(1e-9, maxOf(bands.low), maxOf(bands.mid), maxOf(bands.high)) : 1;
  for (let x = 0; x < n; x++) {
    const t0 = from + ((to - from) * x) / n;
    const t1 = from + ((to - from) * (x + 1)) / n;
    let p0 = Math.floor(t0 * pixelsPerSecond);
    let p1 = Math.max(p0 + 1, Math.ceil(t1 * pixelsPerSecond));
    p0 = Math.max(0, p0);
    p1 = Math.min(w.length, p1);
    let lo = 0;
    let hi = 0;
    let bl = 0;
    let bm = 0;
    let bh = 0;
    for (let p = p0; p < p1; p++) {
      for (let c = 0; c < channels; c++) {
        const i = (p * channels + c) * 2;
        const a = w.data[i] ?? 0;
        const b = w.data[i + 1] ?? 0;
        if (a < lo) lo = a;
        if (b > hi) hi = b;
      }
      if (bands) {
        bl = Math.max(bl, Number(bands.low[p]) || 0);
        bm = Math.max(bm, Number(bands.mid[p]) || 0);
        bh = Math.max(bh, Number(bands.high[p]) || 0);
      }
    }
    min[x] = Math.max(-1, (lo / scale) * gain);
    max[x] = Math.min(1, (hi / scale) * gain);
    if (out) {
      out.low[x] = bl / bandScale;
      out.mid[x] = bm / bandScale;
      out.high[x] = bh / bandScale;
    }
  }
  return { min, max, bands: out };
}

const peaks = new WeakMap<WaveformData, number>();

/** Loudest sample of the whole waveform, 0..1. */
export function peakOf(w: WaveformData): number {
  let peak = peaks.get(w);
  if (peak === undefined) {
    let m = 0;
    for (let i = 0; i < w.data.length; i++) m = Math.max(m, Math.abs(w.data[i]));
    peak = Math.min(1, m / (w.bits === 16 ? 32768 : 128));
    peaks.set(w, peak);
  }
  return peak;
}

/**
 * Display gain: quiet recordings are drawn larger (up to 8x, like an editor's "normalise" view),
 * silence stays a flat line.
 */
export function displayGain(w: WaveformData): number {
  return displayGainFor(peakOf(w));
}

/**
 * The gain that makes a peak fill 90 % of the height: quiet audio (down to -40 dB) is drawn as
 * a shape, not as a flat line that reads as "no audio"; true silence stays flat.
 */
export function displayGainFor(peak: number): number {
  return peak > 0 ? Math.min(100, Math.max(1, 0.9 / peak)) : 1;
}

function maxOf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Number(a[i]) || 0);
  return m;
}

/** Colour of a column from its band energies: low red, mid green, high blue, like DJ software. */
export function bandColour(low: number, mid: number, high: number): string {
  const sum = low + mid + high || 1;
  const r = Math.round(90 + 165 * (low / sum));
  const g = Math.round(90 + 165 * (mid / sum));
  const b = Math.round(110 + 145 * (high / sum));
  return `rgb(${r},${g},${b})`;
}

/** Draws the columns mirrored around the middle of the canvas. */
export function drawColumns(ctx: CanvasRenderingContext2D, cols: Columns, width: number, height: number, colour: string) {
  ctx.clearRect(0, 0, width, height);
  const mid = height / 2;
  const n = cols.min.length;
  const colW = width / n;
  for (let x = 0; x < n; x++) {
    const top = mid - cols.max[x] * mid;
    const bottom = mid - cols.min[x] * mid;
    ctx.fillStyle = cols.bands ? bandColour(cols.bands.low[x], cols.bands.mid[x], cols.bands.high[x]) : colour;
    ctx.fillRect(x * colW, top, Math.max(1, colW), Math.max(1, bottom - top));
  }
}

/** A waveform computed in the browser from the file itself (fallback when the server failed). */
export async function localWaveform(url: string, samplesPerPixel = 512): Promise<WaveformData> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The file could not be read (${response.status}).`);
  const bytes = await response.arrayBuffer();
  const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext: typeof AudioContext }).webkitAudioContext;
  const ctx = new Ctx();
  try {
    const audio = await ctx.decodeAudioData(bytes);
    const length = Math.ceil(audio.length / samplesPerPixel);
    const data = new Array<number>(length * 2);
    const chans = Array.from({ length: audio.numberOfChannels }, (_, c) => audio.getChannelData(c));
    for (let p = 0; p < length; p++) {
      let lo = 0;
      let hi = 0;
      const end = Math.min(audio.length, (p + 1) * samplesPerPixel);
      for (const ch of chans) {
        for (let i = p * samplesPerPixel; i < end; i++) {
          const v = ch[i];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      data[p * 2] = Math.round(lo * 32767);
      data[p * 2 + 1] = Math.round(hi * 32767);
    }
    return { version: 2, channels: 1, sample_rate: audio.sampleRate, samples_per_pixel: samplesPerPixel, bits: 16, length, data };
  } finally {
    void ctx.close();
  }
}
