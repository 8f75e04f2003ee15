package dev.videostudio.job;

import dev.videostudio.MediaRoot;
import dev.videostudio.StudioConfig;
import dev.videostudio.StudioException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Placeholder until issue 3 lands: runs nothing. */
final class LocalJobScheduler implements JobScheduler {

    LocalJobScheduler(MediaRoot root, StudioConfig config) {
    }

    @Override
    public void register(JobType type, JobHandler handler) {
    }

    @Override
    public void start() {
    }

    @Override
    public Job submit(JobType type, String key, Map<String, String> payload) {
        throw new StudioException(StudioException.Problem.UNAVAILABLE, "not_implemented", "jobs are not built yet");
    }

    @Override
    public Optional<Job> find(String jobId) {
        return Optional.empty();
    }

    @Override
    public Optional<Job> active(String key) {
        return Optional.empty();
    }

    @Override
    public boolean cancel(String jobId) {
        return false;
    }

    @Override
    public AutoCloseable subscribe(String jobId, Consumer<Job> listener) {
        return () -> { };
    }

    @Override
    public void close() {
    }
}
