package io.charon.jobs.job;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which hosts a retry runs on: all of the job's hosts, or only those that failed or were
 * unreachable in the attempt before it. A failed-hosts retry after an attempt in which no host
 * failed or was unreachable (a syntax error, a launch failure, a timeout before the play recap)
 * runs on all of them.
 */
public enum RetryScope {
    ALL,
    FAILED_HOSTS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<RetryScope> fromWireName(String value) {
        for (RetryScope scope : values()) {
            if (scope.wireName().equals(value)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    /**
     * The hosts the retry after a run with these per-host results is limited to; empty for all
     * of the job's hosts.
     */
    public List<String> hostsToRetry(SortedMap<String, HostStats> run) {
        if (this == ALL || run == null) {
            return List.of();
        }
        return run.entrySet().stream().filter(host -> host.getValue().failed() > 0 || host.getValue().unreachable() > 0)
                .map(Map.Entry::getKey).toList();
    }

    /**
     * The job's per-host results once a run reported {@code run}: that run's own when every run
     * covers all hosts; when retries cover only some, the earlier results with those of the hosts
     * the run covered replaced.
     */
    public SortedMap<String, HostStats> merge(SortedMap<String, HostStats> earlier, SortedMap<String, HostStats> run) {
        if (this == ALL || earlier == null || earlier.isEmpty()) {
            return run;
        }
        if (run == null) {
            return earlier;
        }
        SortedMap<String, HostStats> merged = new TreeMap<>(earlier);
        merged.putAll(run);
        return merged;
    }

    /** Leaves the default out of a request's fingerprint, so that a request naming it matches one that does not. */
    @RegisterForReflection // Jackson creates it as a @JsonInclude filter: a native build needs it registered
    public static final class IsDefault {
        @Override
        public boolean equals(Object value) {
            return value == null || value == ALL;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
