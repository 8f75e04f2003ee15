package dev.videostudio.waveform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeakAccumulatorTest {

    record Pixel(short[] minMax, short[] merged, short[] bands) {
    }

    static List<Pixel> run(int channels, int rate, int spp, short[] interleaved, int chunk) {
        List<Pixel> out = new ArrayList<>();
        PeakAccumulator acc = new PeakAccumulator(channels, rate, spp,
                (mm, m, b) -> out.add(new Pixel(mm.clone(), m.clone(), b.clone())));
        byte[] pcm = new byte[interleaved.length * 2];
        for (int i = 0; i < interleaved.length; i++) {
            pcm[2 * i] = (byte) interleaved[i];
            pcm[2 * i + 1] = (byte) (interleaved[i] >> 8);
        }
        int frames = interleaved.length / channels;
        for (int f = 0; f < frames; f += chunk) {
            int n = Math.min(chunk, frames - f);
            acc.accept(pcm, f * channels * 2, n);
        }
        acc.finish();
        return out;
    }

    @Test
    void minMaxPerChannelAndFloorOfTheMeanForTheDownmix() {
        // 2 channels, 4 samples per pixel, 10 frames: 3 pixels, the last one partial
        short[] s = {
            1, -1, 5, 2, -7, 3, 0, 0,
            9, -9, 2, 2, 2, 3, 4, -32768,
            32767, 1, -3, 0,
        };
        List<Pixel> px = run(2, 8000, 4, s, 3);
        assertEquals(3, px.size());
        assertArrayEquals(new short[] {-7, 5, -1, 3}, px.get(0).minMax());
        // downmix: floor((1-1)/2)=0, floor(7/2)=3, floor(-4/2)=-2, 0
        assertArrayEquals(new short[] {-2, 3}, px.get(0).merged());
        assertArrayEquals(new short[] {2, 9, -32768, 3}, px.get(1).minMax());
        // 0, 2, floor(5/2)=2, floor(-32764/2)=-16382
        assertArrayEquals(new short[] {-16382, 2}, px.get(1).merged());
        assertArrayEquals(new short[] {-3, 32767, 0, 1}, px.get(2).minMax());
        assertArrayEquals(new short[] {-2, 16384}, px.get(2).merged());
    }

    @Test
    void chunkingDoesNotChangeTheResult() {
        Random r = new Random(7);
        short[] s = new short[3 * 5000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) r.nextInt(65536);
        }
        List<Pixel> a = run(3, 44100, 256, s, 1);
        List<Pixel> b = run(3, 44100, 256, s, 4999);
        assertEquals((5000 + 255) / 256, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).minMax(), b.get(i).minMax());
            assertArrayEquals(a.get(i).merged(), b.get(i).merged());
            assertArrayEquals(a.get(i).bands(), b.get(i).bands());
        }
    }

    static short[] sine(double hz, double amplitude, int rate, int frames) {
        short[] s = new short[frames];
        for (int i = 0; i < frames; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    @Test
    void bandEnergiesFollowTheFrequency() {
        int rate = 44100;
        double a = 16000;
        double rms = a / Math.sqrt(2);
        int[][] expectBand = {{100, 0}, {1000, 1}, {9000, 2}};
        for (int[] e : expectBand) {
            List<Pixel> px = run(1, rate, 256, sine(e[0], a, rate, 8192), 1000);
            Pixel p = px.get(8); // a block away from the edges
            short[] bands = p.bands();
            int main = e[1];
            assertTrue(Math.abs(bands[main] - rms) < 0.06 * rms,
                    e[0] + " Hz: band " + main + " = " + bands[main] + ", expected about " + Math.round(rms));
            for (int b = 0; b < 3; b++) {
                if (b != main) {
                    assertTrue(bands[b] < 0.05 * rms, e[0] + " Hz leaks into band " + b + ": " + bands[b]);
                }
            }
        }
    }

    @Test
    void silenceIsFlat() {
        List<Pixel> px = run(2, 48000, 256, new short[2 * 1000], 333);
        assertEquals(4, px.size());
        for (Pixel p : px) {
            assertArrayEquals(new short[4], p.minMax());
            assertArrayEquals(new short[2], p.merged());
            assertArrayEquals(new short[3], p.bands());
        }
    }
}
