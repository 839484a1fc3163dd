package io.charon.jobs.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * A service installed without two of its parts, for the tests of how it says so: no
 * ansible-playbook where {@code charon.ansible.command} points (LaunchFailureTest) and no
 * {@code charon.security.secret-key} (CredentialWithoutKeyTest). One application for both, since
 * every distinct profile costs an application build and start on each store; neither test uses
 * the part the other one takes away.
 */
public class IncompleteInstallationProfile implements QuarkusTestProfile {

    public static final String MISSING_ANSIBLE = "/nonexistent/bin/ansible-playbook";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("charon.ansible.command", MISSING_ANSIBLE, "charon.security.secret-key", "");
    }
}
