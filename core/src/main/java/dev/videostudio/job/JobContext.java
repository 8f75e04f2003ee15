package dev.videostudio.job;

import java.util.Map;

/** What a running job sees: its payload, a progress reporter and a cancellation flag. */
public interface JobContext {

    String jobId();

    Map<String, String> payload();

    /** Reports progress in 0..1; values are clamped and never go backwards. */
    void progress(double fraction);

    /** True once the job was cancelled; long work checks it and stops early. */
    boolean isCancelled();
}
