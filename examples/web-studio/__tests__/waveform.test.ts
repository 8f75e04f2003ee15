// Unit tests of the waveform reduction used to draw clips.
import { describe, expect, it } from 'vitest';
import { bandColour, bandsOf, columnsFor, displayGain } from '../src/waveform';
import type { WaveformData } from '../src/api';

// 4 pixels per second (sample_rate 1024, 256 samples per pixel), 2 channels, 8 s
const wf = (extra: Partial<WaveformData> = {}): WaveformData => {
  const length = 32;
  const data: number[] = [];
  for (let p = 0; p < length; p++) data.push(-p, p, -2 * p, p); // channel 1 min grows twice as fast
  return { version: 2, channels: 2, sample_rate: 1024, samples_per_pixel: 256, bits: 8, length, data, ...extra };
};

describe('columnsFor', () => {
  it('takes the extremes of every channel over the pixels a column covers', () => {
    const cols = columnsFor(wf(), 0, 8, 4); // 8 waveform pixels per column
    expect(Array.from(cols.max)).toEqual([7 / 128, 15 / 128, 23 / 128, 31 / 128]);
    expect(Array.from(cols.min)).toEqual([-14 / 128, -30 / 128, -46 / 128, -62 / 128]);
    expect(cols.bands).toBeNull();
  });

  it('reads only the trimmed part of the source', () => {
    const cols = columnsFor(wf(), 2, 3, 2); // pixels 8..11
    expect(Array.from(cols.max)).toEqual([9 / 128, 11 / 128]);
  });

  it('scales 16-bit data and clamps the gain', () => {
    const w = wf({ bits: 16, data: [-16384, 16384, -16384, 16384], length: 1, sample_rate: 256 });
    expect(Array.from(columnsFor(w, 0, 1, 1).max)).toEqual([0.5]);
    expect(Array.from(columnsFor(w, 0, 1, 1, 4).max)).toEqual([1]);
  });

  it('normalises bands and colours low red, high blue', () => {
    const n = 32;
    const bands = { edges_hz: [250, 4000], low: Array.from({ length: n }, (_, i) => (i < 16 ? 100 : 0)), mid: new Array(n).fill(0), high: Array.from({ length: n }, (_, i) => (i < 16 ? 0 : 50)) };
    const w = wf({ bands });
    expect(bandsOf(w)).not.toBeNull();
    const cols = columnsFor(w, 0, 8, 2);
    expect(Array.from(cols.bands!.low)).toEqual([1, 0]);
    expect(Array.from(cols.bands!.high)).toEqual([0, 0.5]);
    expect(bandColour(1, 0, 0)).toBe('rgb(255,90,110)');
    expect(bandColour(0, 0, 1)).toBe('rgb(90,90,255)');
  });
});

describe('displayGain', () => {
  it('enlarges quiet audio up to 100x (-40 dB) and leaves silence and loud audio alone', () => {
    expect(displayGain(wf({ data: [-4, 4], length: 1, channels: 1 }))).toBeCloseTo(28.8);
    expect(displayGain(wf({ data: [-1, 1], length: 1, channels: 1 }))).toBe(100);
    expect(displayGain(wf({ data: [-32, 32], length: 1, channels: 1 }))).toBeCloseTo(3.6);
    expect(displayGain(wf({ data: [-128, 127], length: 1, channels: 1 }))).toBe(1);
    expect(displayGain(wf({ data: [0, 0], length: 1, channels: 1 }))).toBe(1);
  });
});
