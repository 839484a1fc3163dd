package io.charon.jobs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** How playbooks are run ({@code charon.ansible.*}). */
@ConfigMapping(prefix = "charon.ansible")
public interface AnsibleConfig {

    /** The {@code ansible-playbook} executable: a name looked up on PATH or a path. */
    @WithDefault("ansible-playbook")
    String command();

    /** Root that every submitted playbook path is resolved against and must stay inside. */
    @WithDefault("playbooks")
    Path playbookDir();

    /** Per-job working directories (inventory, variables file). */
    @WithDefault("${charon.jobs.data-dir}/work")
    Path workDir();

    /**
     * Variable names a submission may set although they are reserved ({@code ansible_*}, names
     * starting with {@code _}, Ansible's magic variables): each one listed here is a decision to
     * let users change how Ansible connects or runs. Empty by default.
     */
    Optional<Set<String>> allowedVariables();

    /** Time between TERM and KILL when a run is stopped. */
    @WithDefault("PT5S")
    Duration killGrace();
}
