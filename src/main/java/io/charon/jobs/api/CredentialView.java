package io.charon.jobs.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.charon.jobs.credential.Credential;
import io.charon.jobs.credential.CredentialKind;
import io.charon.jobs.credential.SealedCredential;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * A credential as the API shows it: its clear fields only. Of its secrets it says no more than
 * whether an ssh key has a passphrase and a become credential a password.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A stored credential without its secrets")
public record CredentialView(
        String name,
        @Schema(enumeration = {"ssh", "become", "vault"}) String kind,
        @Schema(description = "ssh: the remote user; become: the user to become (absent: the method's default)") String username,
        @Schema(description = "become only") String method,
        @Schema(description = "ssh only: SHA256 fingerprint of the public key, as ssh-keygen -l prints it") String fingerprint,
        @Schema(description = "ssh only") Boolean hasPassphrase,
        @Schema(description = "become only") Boolean hasPassword,
        String description,
        @Schema(description = "who may see it and use it in jobs besides its owner and admins") List<String> users,
        String owner,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy) {

    static CredentialView of(Credential credential) {
        CredentialKind kind = credential.kind();
        List<String> secrets = credential.secretNames();
        return new CredentialView(credential.name(), kind.wireName(), credential.username(), credential.becomeMethod(),
                credential.fingerprint(),
                kind == CredentialKind.SSH ? secrets.contains(SealedCredential.PASSPHRASE) : null,
                kind == CredentialKind.BECOME ? secrets.contains(SealedCredential.PASSWORD) : null,
                credential.description(), credential.ownership().users(), credential.ownership().owner(), credential.ownership().createdAt(),
                credential.ownership().createdBy(), credential.ownership().updatedAt(), credential.ownership().updatedBy());
    }
}
