package io.charon.jobs.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a bearer token into the identity of its user, with its role and those the role includes. */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<ApiTokenRequest> {

    /** The identity attribute holding the id of the token that authenticated the request. */
    public static final String TOKEN_ID = "charon.token-id";

    private final ApiTokens tokens;

    public TokenIdentityProvider(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<ApiTokenRequest> getRequestType() {
        return ApiTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenRequest request, AuthenticationRequestContext context) {
        // configured and recently verified tokens are answered at once; only the rest waits for the store
        var known = tokens.verifyFromMemory(request.token());
        if (known.isPresent()) {
            return Uni.createFrom().item(identity(known.get()));
        }
        return context.runBlocking(() -> tokens.verify(request.token())
                .map(TokenIdentityProvider::identity)
                .orElseThrow(() -> new AuthenticationFailedException("unknown, revoked or expired token")));
    }

    static SecurityIdentity identity(ApiTokens.Verified verified) {
        return identity(verified.userId(), verified.role(), verified.tokenId());
    }

    /** An identity of {@code user} holding {@code role} and every role below it. */
    public static SecurityIdentity identity(String user, Role role, String tokenId) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user))
                .addRoles(role.grantedNames())
                .addAttribute(TOKEN_ID, tokenId)
                .build();
    }
}
