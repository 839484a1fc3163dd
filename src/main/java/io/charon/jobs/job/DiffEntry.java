package io.charon.jobs.job;

/** What a check-mode run would change on one host in one task: the change as unified diff text. */
public record DiffEntry(String host, String task, String diff) {
}
