package io.charon.jobs.job;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What is wrong with one field of a request. */
@RegisterForReflection // read or written by an ObjectMapper of its own, not by a REST endpoint's: a native build needs it registered
public record FieldError(String field, String reason) {
}
