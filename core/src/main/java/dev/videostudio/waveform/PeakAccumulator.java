package dev.videostudio.waveform;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Turns interleaved 16-bit PCM frames into pixels while they stream by: per channel min/max,
 * min/max of the downmix (the floor of the channels' mean, as audiowaveform mixes), and
 * low/mid/high band RMS of the downmix. Memory is one FFT block, whatever the duration.
 *
 * <p>Band energies come from one Hann-windowed FFT per block of {@link #BAND_BLOCK} samples
 * (4 pixels at 256 samples per pixel), so bass is resolved to ~43 Hz at 44.1 kHz; each pixel
 * of a block gets the block's energies. Blocks are aligned to the start of the stream, which is
 * why parallel decoding splits the stream on block boundaries.
 */
final class PeakAccumulator {

    /** Samples per FFT block; a multiple of the samples per pixel is used (at least this many). */
    static final int BAND_BLOCK = 1024;
    /** Upper edge of the low band and lower edge of the high band, in Hz. */
    static final int LOW_HZ = 250;
    static final int HIGH_HZ = 4000;
    private static final VarHandle LE_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Receives each finished pixel. Arrays are reused: copy what you keep. */
    interface PixelSink {
        /**
         * @param minMax per channel min then max (2 per channel)
         * @param merged min then max of the downmix
         * @param bands  low, mid and high band RMS of the downmix, in 16-bit sample units
         */
        void pixel(short[] minMax, short[] merged, short[] bands);
    }

    private final int channels;
    private final int samplesPerPixel;
    private final int pixelsPerBlock;
    private final int blockSize;
    private final int sampleRate;
    private final PixelSink sink;

    private final short[] minMax;
    private final short[] merged = new short[2];
    private final short[] bands = new short[3];
    /** Peaks of the pixels of the current block, emitted when its FFT is done. */
    private final short[] blockMinMax;
    private final short[] blockMerged;
    private final float[] fftBuffer;
    private final float[] window;
    private final float windowPower;
    private final FloatFFT_1D fft;
    private final int lowBin;
    private final int highBin;

    private int inPixel;
    private int pixelInBlock;
    private int inBlock;
    private long frames;

    PeakAccumulator(int channels, int sampleRate, int samplesPerPixel, PixelSink sink) {
        if (channels < 1 || sampleRate < 1 || samplesPerPixel < 1) {
            throw new IllegalArgumentException("channels, sample rate and samples per pixel must be positive");
        }
        this.channels = channels;
        this.sampleRate = sampleRate;
        this.samplesPerPixel = samplesPerPixel;
        this.pixelsPerBlock = Math.max(1, ceilDiv(BAND_BLOCK, samplesPerPixel));
        this.blockSize = pixelsPerBlock * samplesPerPixel;
        this.sink = sink;
        this.minMax = new short[2 * channels];
        this.blockMinMax = new short[2 * channels * pixelsPerBlock];
        this.blockMerged = new short[2 * pixelsPerBlock];
        this.fftBuffer = new float[blockSize];
        this.window = new float[blockSize];
        float power = 0;
        for (int i = 0; i < blockSize; i++) {
            window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / blockSize));
            power += window[i] * window[i];
        }
        this.windowPower = power;
        this.fft = new FloatFFT_1D(blockSize);
        double binHz = (double) sampleRate / blockSize;
        this.lowBin = (int) Math.ceil(LOW_HZ / binHz);
        this.highBin = (int) Math.ceil(HIGH_HZ / binHz);
        resetPixel();
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Samples in one band block: parallel parts start on multiples of this. */
    int blockSize() {
        return blockSize;
    }

    long frames() {
        return frames;
    }

    /** Adds {@code count} whole frames of interleaved little-endian 16-bit samples from {@code pcm} at {@code offset}. */
    void accept(byte[] pcm, int offset, int count) {
        int p = offset;
        int left = count;
        while (left > 0) {
            // one pixel's worth at a time, with the running peaks in locals (this loop is the hot path)
            int n = Math.min(left, samplesPerPixel - inPixel);
            p = switch (channels) {
                case 1 -> mono(pcm, p, n);
                case 2 -> stereo(pcm, p, n);
                default -> anyChannels(pcm, p, n);
            };
            inPixel += n;
            left -= n;
            if (inPixel == samplesPerPixel) {
                endPixel();
            }
        }
        frames += count;
    }

    private static int sample(byte[] b, int p) {
        return (short) LE_SHORT.get(b, p);
    }

    private int mono(byte[] b, int p, int n) {
        int min = minMax[0];
        int max = minMax[1];
        float[] buf = fftBuffer;
        int k = inBlock;
        for (int i = 0; i < n; i++, p += 2) {
            int s = sample(b, p);
            min = Math.min(min, s);
            max = Math.max(max, s);
            buf[k] = s * window[k];
            k++;
        }
        inBlock = k;
        minMax[0] = (short) min;
        minMax[1] = (short) max;
        merged[0] = (short) min;
        merged[1] = (short) max;
        return p;
    }

    private int stereo(byte[] b, int p, int n) {
        int min0 = minMax[0];
        int max0 = minMax[1];
        int min1 = minMax[2];
        int max1 = minMax[3];
        int minM = merged[0];
        int maxM = merged[1];
        float[] buf = fftBuffer;
        float[] win = window;
        int k = inBlock;
        for (int i = 0; i < n; i++, p += 4, k++) {
            int frame = (int) LE_INT.get(b, p); // one load per frame: left in the low half, right in the high
            int l = (short) frame;
            int r = frame >> 16;
            min0 = Math.min(min0, l);
            max0 = Math.max(max0, l);
            min1 = Math.min(min1, r);
            max1 = Math.max(max1, r);
            int mix = (l + r) >> 1; // floor of the mean
            minM = Math.min(minM, mix);
            maxM = Math.max(maxM, mix);
            buf[k] = mix * win[k];
        }
        inBlock = k;
        minMax[0] = (short) min0;
        minMax[1] = (short) max0;
        minMax[2] = (short) min1;
        minMax[3] = (short) max1;
        merged[0] = (short) minM;
        merged[1] = (short) maxM;
        return p;
    }

    private int anyChannels(byte[] b, int p, int n) {
        int c = channels;
        for (int f = 0; f < n; f++) {
            int sum = 0;
            for (int ch = 0; ch < c; ch++, p += 2) {
                short s = (short) sample(b, p);
                sum += s;
                int m = ch << 1;
                if (s < minMax[m]) {
                    minMax[m] = s;
                }
                if (s > minMax[m + 1]) {
                    minMax[m + 1] = s;
                }
            }
            short mix = (short) Math.floorDiv(sum, c);
            if (mix < merged[0]) {
                merged[0] = mix;
            }
            if (mix > merged[1]) {
                merged[1] = mix;
            }
            fftBuffer[inBlock] = mix * window[inBlock];
            inBlock++;
        }
        return p;
    }

    /** Emits the last, partial pixel and block, if any. */
    void finish() {
        if (inPixel > 0) {
            endPixel();
        }
        if (pixelInBlock > 0) {
            endBlock();
        }
    }

    private void endPixel() {
        System.arraycopy(minMax, 0, blockMinMax, pixelInBlock * 2 * channels, 2 * channels);
        blockMerged[2 * pixelInBlock] = merged[0];
        blockMerged[2 * pixelInBlock + 1] = merged[1];
        pixelInBlock++;
        resetPixel();
        if (pixelInBlock == pixelsPerBlock) {
            endBlock();
        }
    }

    private void endBlock() {
        computeBands();
        short[] oneMinMax = minMax.clone();
        for (int i = 0; i < pixelInBlock; i++) {
            System.arraycopy(blockMinMax, i * 2 * channels, oneMinMax, 0, 2 * channels);
            merged[0] = blockMerged[2 * i];
            merged[1] = blockMerged[2 * i + 1];
            sink.pixel(oneMinMax, merged, bands);
        }
        pixelInBlock = 0;
        inBlock = 0;
        resetPixel();
    }

    /** Band RMS by Parseval's theorem over the windowed block (a partial block is zero-padded). */
    private void computeBands() {
        // the samples were windowed as they came; a partial block is zero-padded
        java.util.Arrays.fill(fftBuffer, inBlock, blockSize, 0f);
        fft.realForward(fftBuffer);
        int half = blockSize / 2;
        double low = energy(1, Math.min(lowBin, half));
        double mid = energy(Math.min(lowBin, half), Math.min(highBin, half));
        double high = energy(Math.min(highBin, half), half);
        // one-sided spectrum counts twice; normalise by the window's power to get mean square
        double scale = 2.0 / (blockSize * (double) windowPower);
        bands[0] = clampShort(Math.sqrt(low * scale));
        bands[1] = clampShort(Math.sqrt(mid * scale));
        bands[2] = clampShort(Math.sqrt(high * scale));
    }

    private double energy(int fromBin, int toBin) {
        float[] x = fftBuffer;
        double sum = 0;
        for (int k = fromBin; k < toBin; k++) {
            float re = x[2 * k];
            float im = x[2 * k + 1];
            sum += re * re + im * im;
        }
        return sum;
    }

    private static short clampShort(double v) {
        return (short) Math.min(Short.MAX_VALUE, Math.round(v));
    }

    private void resetPixel() {
        for (int ch = 0; ch < channels; ch++) {
            minMax[2 * ch] = Short.MAX_VALUE;
            minMax[2 * ch + 1] = Short.MIN_VALUE;
        }
        merged[0] = Short.MAX_VALUE;
        merged[1] = Short.MIN_VALUE;
        inPixel = 0;
    }

    int sampleRate() {
        return sampleRate;
    }
}
