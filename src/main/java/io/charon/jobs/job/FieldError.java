package io.charon.jobs.job;

/** What is wrong with one field of a request. */
public record FieldError(String field, String reason) {
}
