package io.charon.jobs.execution;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.execution.ansible.AnsiblePlaybookRunner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/** The {@link PlaybookRunner} that {@code charon.jobs.runner} names. */
@ApplicationScoped
public class RunnerSelection {

    @Produces
    @ApplicationScoped
    PlaybookRunner runner(JobsConfig config, Instance<AnsiblePlaybookRunner> ansible, Instance<NoopPlaybookRunner> noop) {
        return switch (config.runner()) {
            case ANSIBLE -> ansible.get();
            case NOOP -> noop.get();
        };
    }
}
