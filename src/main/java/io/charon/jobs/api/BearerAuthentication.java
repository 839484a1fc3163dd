package io.charon.jobs.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charon.jobs.config.SecurityConfig;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.ApiTokenRequest;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.security.Role;
import io.charon.jobs.security.TokenIdentityProvider;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Set;

/**
 * {@code Authorization: Bearer <token>} on every request. No header means anonymous, which only
 * the health probes and other public paths accept; a header that is not a known, valid bearer
 * token is refused with a 401 problem (and audited), whatever the path. With OIDC configured, a
 * token shaped like a JWT is left to OIDC's mechanism. With {@code charon.security.enabled=false}
 * every request is the admin {@code anonymous}.
 */
@ApplicationScoped
public class BearerAuthentication implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(BearerAuthentication.class);
    static final String SCHEME = "Bearer";
    static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    static final String CHALLENGE = SCHEME + " realm=\"charon-jobs\"";
    /** Longer than any token this service issues, and room for an identity provider's JWT. */
    static final int MAX_TOKEN = 8192;

    private final SecurityConfig config;
    private final AuditTrail audit;
    private final ObjectMapper json;
    private final SecurityIdentity development;
    private final boolean oidc;

    public BearerAuthentication(SecurityConfig config, AuditTrail audit, ObjectMapper json,
                                @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidc) {
        this.oidc = oidc;
        this.config = config;
        this.audit = audit;
        this.json = json;
        this.development = TokenIdentityProvider.identity(CurrentUser.ANONYMOUS, Role.ADMIN, "development");
    }

    void warnWhenOff(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.warn("charon.security.enabled=false: authentication is OFF and every request acts as an admin."
                    + " Development only; never expose this service so.");
        }
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (!config.enabled()) {
            return Uni.createFrom().item(development);
        }
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        String token = bearerToken(header);
        if (token == null) {
            return refused(context, "the Authorization header is not a bearer token");
        }
        if (oidc && looksLikeJwt(token)) {
            return Uni.createFrom().nullItem(); // the identity provider's token: OIDC's mechanism verifies it
        }
        AuthenticationRequest request = HttpSecurityUtils.setRoutingContextAttribute(new ApiTokenRequest(token), context);
        return identities.authenticate(request)
                .onFailure(AuthenticationFailedException.class)
                .invoke(e -> auditRefusal(context, "unknown, revoked or expired token"));
    }

    /** Three base64url parts separated by dots; the service's own tokens never contain a dot. */
    static boolean looksLikeJwt(String token) {
        return token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    }

    /** The token of a well-formed bearer header: printable ASCII, no spaces, bounded length. */
    static String bearerToken(String header) {
        if (header.length() <= SCHEME.length() + 1 || !header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
            return null;
        }
        String token = header.substring(SCHEME.length() + 1).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return null;
        }
        return token;
    }

    private Uni<SecurityIdentity> refused(RoutingContext context, String reason) {
        auditRefusal(context, reason);
        return Uni.createFrom().failure(new AuthenticationFailedException(reason));
    }

    private void auditRefusal(RoutingContext context, String reason) {
        audit.recordLater(new AuditEntry(0, null, "-", AuditActions.AUTHENTICATION, RequestLine.of(context), AuditEntry.FAILED,
                reason, RequestLine.remoteAddress(context)));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, WWW_AUTHENTICATE, CHALLENGE));
    }

    /** A 401 with the same problem+json body as every other error of the API. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.headWritten()) {
            return Uni.createFrom().item(true);
        }
        response.setStatusCode(401)
                .putHeader(WWW_AUTHENTICATE, CHALLENGE)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        return Uni.createFrom().completionStage(response.end(body()).toCompletionStage()).replaceWith(true);
    }

    private String body() {
        try {
            return json.writeValueAsString(Problem.unauthorized());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenRequest.class);
    }

    /** Before OIDC's mechanism: this one decides which bearer tokens are the service's own, and writes the 401. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION,
                SCHEME.toLowerCase()));
    }
}
