package io.charon.jobs.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.charon.jobs.security.SecretBox;

import java.util.List;

/**
 * A job's secret variables as they are kept: their names, a keyed digest of names and values
 * (equal for equal secrets, so an idempotent repeat is recognised, but useless without the key),
 * and the AES-GCM ciphertext. Only {@link SecretBox} can open it; what is serialized of it as
 * JSON (the request fingerprint) is names and digest, never the ciphertext.
 */
public record SealedSecrets(List<String> names, String digest, @JsonIgnore String ciphertext) {

    public SealedSecrets {
        names = List.copyOf(names);
    }
}
