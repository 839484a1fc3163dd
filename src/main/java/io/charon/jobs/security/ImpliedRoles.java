package io.charon.jobs.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.Set;

/**
 * An identity from another source (OIDC) carries the role names its provider gives it; here it
 * also gets the roles that its highest one includes, as the service's own tokens do: an
 * {@code admin} claim makes an operator and a viewer too.
 */
@ApplicationScoped
public class ImpliedRoles implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Set<String> missing = new HashSet<>();
        for (Role role : Role.values()) {
            if (identity.hasRole(role.wireName())) {
                role.grantedNames().stream().filter(name -> !identity.hasRole(name)).forEach(missing::add);
            }
        }
        if (missing.isEmpty()) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(missing).build());
    }
}
