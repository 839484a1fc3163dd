package io.charon.jobs.workflow;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What an approval node asks: a {@code description} for whoever decides, the {@code approvers}
 * who may (admins may too), and an optional {@code timeout} (ISO-8601, as jobs' time limits)
 * after which the node is denied. The node launches nothing: approved, it completes; denied, it fails.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Approval(String description, List<String> approvers, String timeout) {

    static final int MAX_DESCRIPTION = 4_000;
    static final int MAX_APPROVERS = 100;
    /** PT1S to P30D: the bounds that WorkflowChecks names. */
    static final Duration SHORTEST_TIMEOUT = Duration.ofSeconds(1);
    static final Duration LONGEST_TIMEOUT = Duration.ofDays(30);

    public Approval {
        approvers = approvers == null ? List.of() : approvers;
    }

    /** The timeout of a checked approval, if it has one. */
    @JsonIgnore
    Optional<Duration> timeoutDuration() {
        return Optional.ofNullable(timeout).map(Duration::parse);
    }

    /** Whether {@code userId} is one of the approvers. */
    boolean lists(String userId) {
        return approvers.contains(userId);
    }
}
