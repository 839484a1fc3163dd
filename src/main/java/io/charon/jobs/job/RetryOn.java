package io.charon.jobs.job;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * The kinds of failed run a job may be retried after ({@code retryOn}). A run is of every kind
 * that applies to it, and is retried if any of them is listed:
 * <ul>
 *   <li>{@code timeout}: the run hit its timeout (and nothing else counts for it);</li>
 *   <li>{@code unreachable}: some host was unreachable;</li>
 *   <li>{@code failed}: some host failed, or the run failed without any host failing or being
 *       unreachable (a non-zero exit, a syntax error, a playbook that could not be launched).</li>
 * </ul>
 * A run that completed or was cancelled is never retried.
 */
public enum RetryOn {
    FAILED,
    UNREACHABLE,
    TIMEOUT;

    /** Every kind: the default. */
    public static final Set<RetryOn> EVERY = Collections.unmodifiableSet(EnumSet.allOf(RetryOn.class));

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RetryOn> fromWireName(String value) {
        for (RetryOn kind : values()) {
            if (kind.wireName().equals(value)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** The kinds, in their fixed order, unchangeable. */
    public static Set<RetryOn> setOf(Collection<RetryOn> kinds) {
        return kinds.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(kinds));
    }

    /**
     * The kinds of a run that ended {@code failed} or {@code timeout}, by its per-host results
     * (null when the play recap was never reached).
     */
    public static Set<RetryOn> kindsOf(JobStatus ending, SortedMap<String, HostStats> hostStats) {
        if (ending == JobStatus.TIMEOUT) {
            return Set.of(TIMEOUT);
        }
        Set<RetryOn> kinds = EnumSet.noneOf(RetryOn.class);
        if (hostStats != null) {
            hostStats.values().forEach(host -> {
                if (host.failed() > 0) {
                    kinds.add(FAILED);
                }
                if (host.unreachable() > 0) {
                    kinds.add(UNREACHABLE);
                }
            });
        }
        return kinds.isEmpty() ? Set.of(FAILED) : kinds;
    }

    /** Leaves the default out of a request's fingerprint, so that a request naming it matches one that does not. */
    @RegisterForReflection // Jackson creates it as a @JsonInclude filter: a native build needs it registered
    public static final class IsDefault {
        @Override
        public boolean equals(Object value) {
            return value == null || EVERY.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
