package io.charon.jobs.execution;

/** Receives the structured progress of a run (task started, host result) as it happens. */
@FunctionalInterface
public interface ProgressListener {

    /**
     * @param message one human-readable line, e.g. {@code "ok: [web1] Install nginx"}
     * @param data    the same as a JSON object: {@code event}, {@code task}, {@code host}, {@code result}
     */
    void onProgress(String message, String data);
}
