package io.charon.jobs.security;

import io.charon.jobs.config.SecurityConfig;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.InstantRange;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.enterprise.context.control.ActivateRequestContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Bearer tokens: those of the configuration (by hash, or the admin token from a secret) and those
 * created through the API, stored as their SHA-256 only. A token's text is shown once, when it is
 * created. Tokens are random (256 bits), so a plain SHA-256 is a sound way to keep them: nothing
 * short enough to guess hides behind it.
 */
@ApplicationScoped
public class ApiTokens {

    public static final String SOURCE_API = "api";
    public static final String SOURCE_CONFIG = "config";
    static final String CONFIG_ID_PREFIX = "config:";
    static final String TOKEN_PREFIX = "chr_";
    /** A user id: 1 to 100 letters, digits or _ . @ -, starting with a letter or digit. */
    public static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}");
    static final int MAX_DESCRIPTION = 200;
    static final int MAX_CACHED = 10_000;

    /** Who a token stands for. */
    public record Verified(String tokenId, String userId, Role role) {
    }

    /** A new token: its text, shown this once, and how it is listed from now on. */
    public record Created(String token, TokenInfo info) {
    }

    private record Cached(Verified verified, long until) {
    }

    private final Clock clock;
    private final AuditTrail audit;
    private final Store store;
    private final long cacheNanos;
    private final Map<String, Verified> configured = new HashMap<>();
    private final List<TokenInfo> configuredInfo = new ArrayList<>();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    /** Whether every user this service may meet holds one of its tokens: no OIDC provider and security on. */
    private final boolean knowsEveryUser;

    public ApiTokens(SecurityConfig config, Clock clock, AuditTrail audit, Store store,
                     @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidc) {
        this.store = store;
        this.knowsEveryUser = config.enabled() && !oidc;
        this.clock = clock;
        this.audit = audit;
        this.cacheNanos = config.tokenCacheTtl().toNanos();
        config.adminToken().filter(token -> !token.isBlank()).ifPresent(token ->
                configure(config.adminUser(), hash(token), Role.ADMIN, "charon.security.admin-token"));
        config.tokens().forEach((user, token) -> {
            String hash = token.sha256().trim().toLowerCase(java.util.Locale.ROOT);
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("charon.security.tokens." + user + ".sha256 must be 64 hex digits");
            }
            Role role = Role.fromWireName(token.role()).orElseThrow(() -> new IllegalArgumentException(
                    "charon.security.tokens." + user + ".role must be one of " + Role.names()));
            configure(user, hash, role, "charon.security.tokens." + user);
        });
    }

    private void configure(String user, String hash, Role role, String key) {
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException(key + ": the user name must be 1 to 100 letters, digits or _ . @ -");
        }
        Verified verified = new Verified(CONFIG_ID_PREFIX + user, user, role);
        configured.put(hash, verified);
        configuredInfo.add(new TokenInfo(verified.tokenId(), user, role.wireName(), "from " + key, SOURCE_CONFIG,
                null, null, null, null, null));
    }

    /** True when the configuration names at least one token. */
    public boolean anyConfigured() {
        return !configured.isEmpty();
    }

    /**
     * Who the token stands for, when that is known without asking the store: a configured token,
     * or one verified a moment ago. Never blocks, so it can run on an I/O thread.
     */
    public Optional<Verified> verifyFromMemory(String token) {
        String hash = hash(token);
        Verified fromConfig = configured.get(hash);
        if (fromConfig != null) {
            return Optional.of(fromConfig);
        }
        Cached cached = cache.get(hash);
        return cached != null && cached.until() - System.nanoTime() > 0 ? Optional.of(cached.verified()) : Optional.empty();
    }

    /** Who the token stands for, if it is known, not revoked and not expired; may read the store. */
    @ActivateRequestContext
    public Optional<Verified> verify(String token) {
        Optional<Verified> known = verifyFromMemory(token);
        if (known.isPresent()) {
            return known;
        }
        String hash = hash(token);
        Optional<ApiToken> stored = store.session().createSelectionQuery("from ApiToken where tokenHash = :hash", ApiToken.class)
                .setParameter("hash", hash).setMaxResults(1).getResultList().stream().findFirst();
        if (stored.isEmpty() || !stored.get().isValidAt(clock.instant())) {
            cache.remove(hash);
            return Optional.empty();
        }
        ApiToken row = stored.get();
        Verified verified = new Verified(row.id, row.userId, Role.fromWireName(row.role).orElseThrow());
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        // a token that expires soon is trusted no longer than its life
        // (compared as durations: the nanoseconds until an expiry three centuries ahead overflow a long)
        Duration life = row.expiresAt == null ? null : Duration.between(clock.instant(), row.expiresAt);
        long ttl = life == null || life.compareTo(Duration.ofNanos(cacheNanos)) >= 0 ? cacheNanos
                : life.isNegative() ? 0 : life.toNanos();
        cache.put(hash, new Cached(verified, System.nanoTime() + ttl));
        return Optional.of(verified);
    }

    /**
     * Creates a token for {@code userId} with {@code role}; the change is audited in its own
     * transaction.
     *
     * @param expiresAt null for a token that does not expire
     */
    public Created create(String userId, String roleName, String description, Instant expiresAt, String createdBy) {
        List<FieldError> errors = new ArrayList<>();
        if (userId == null || !USER.matcher(userId).matches()) {
            errors.add(new FieldError("userId", "must be 1 to 100 letters, digits or _ . @ -, starting with a letter or digit"));
        }
        Optional<Role> role = roleName == null ? Optional.empty() : Role.fromWireName(roleName);
        if (role.isEmpty()) {
            errors.add(new FieldError("role", "must be one of " + Role.names()));
        }
        if (description != null && (description.length() > MAX_DESCRIPTION
                || description.chars().anyMatch(Character::isISOControl))) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION
                    + " characters without control characters"));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            errors.add(new FieldError("expiresAt", "must lie in the future"));
        } else if (expiresAt != null && !InstantRange.contains(expiresAt)) {
            errors.add(new FieldError("expiresAt", "must be " + InstantRange.TEXT));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String token = newTokenText();
        ApiToken row = new ApiToken(UUID.randomUUID().toString(), hash(token), userId, role.get(), description, now,
                createdBy, expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS));
        QuarkusTransaction.requiringNew().run(() -> {
            store.session().persist(row);
            audit.recordInTransaction(List.of(AuditEntry.success(createdBy, AuditActions.TOKEN_CREATE, row.id,
                    "user " + userId + ", role " + row.role)));
        });
        return new Created(token, TokenInfo.of(row));
    }

    /** Every token: the configured ones first, then the stored ones, newest first. */
    @ActivateRequestContext
    public List<TokenInfo> list() {
        List<TokenInfo> all = new ArrayList<>(configuredInfo);
        store.session().createSelectionQuery("from ApiToken order by createdAt desc, id desc", ApiToken.class).getResultList().forEach(token -> all.add(TokenInfo.of(token)));
        return all;
    }

    /**
     * Revokes a stored token at once on this instance; audited in the same transaction.
     *
     * @throws TokenNotFoundException no such token
     * @throws TokenConflictException a configured token (only configuration removes it)
     */
    public TokenInfo revoke(String id, String revokedBy) {
        if (id.startsWith(CONFIG_ID_PREFIX) && configuredInfo.stream().anyMatch(info -> info.id().equals(id))) {
            throw new TokenConflictException("token " + id + " comes from the configuration; remove it there");
        }
        TokenInfo info = QuarkusTransaction.requiringNew().call(() -> {
            // locked: of two revokes at once on two replicas, one revokes and is audited, the other sees it done
            ApiToken token = store.session().find(ApiToken.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (token == null) {
                throw new TokenNotFoundException(id);
            }
            if (token.revokedAt == null) {
                token.revoke(clock.instant().truncatedTo(ChronoUnit.MILLIS), revokedBy);
                audit.recordInTransaction(List.of(AuditEntry.success(revokedBy, AuditActions.TOKEN_REVOKE, id,
                        "user " + token.userId + ", role " + token.role)));
            }
            return TokenInfo.of(token);
        });
        cache.values().removeIf(cached -> cached.verified().tokenId().equals(id));
        return info;
    }

    /**
     * The users among {@code userIds} who hold no token of at least role {@code least} (configured,
     * or stored and neither revoked nor expired): no one could act as them. None when the service
     * cannot know every user: with OIDC, the identity provider's users are unknown here, and with
     * security off everyone is the anonymous admin.
     */
    @ActivateRequestContext
    public Set<String> withoutToken(Collection<String> userIds, Role least) {
        Set<String> missing = new LinkedHashSet<>(userIds);
        if (!knowsEveryUser || missing.isEmpty()) {
            return Set.of();
        }
        configured.values().stream().filter(verified -> verified.role().compareTo(least) >= 0)
                .forEach(verified -> missing.remove(verified.userId()));
        if (missing.isEmpty()) {
            return missing;
        }
        Instant now = clock.instant();
        store.session().createSelectionQuery("from ApiToken where userId in :users", ApiToken.class)
                .setParameter("users", missing).getResultList().stream()
                .filter(token -> token.isValidAt(now) && Role.fromWireName(token.role).orElseThrow().compareTo(least) >= 0)
                .forEach(token -> missing.remove(token.userId));
        return missing;
    }

    /** True when a stored admin token is valid now. */
    @ActivateRequestContext
    public boolean anyValidStoredAdmin() {
        Instant now = clock.instant();
        return store.session().createSelectionQuery("from ApiToken where role = :role", ApiToken.class)
                .setParameter("role", Role.ADMIN.wireName()).getResultList().stream().anyMatch(t -> t.isValidAt(now));
    }

    private String newTokenText() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Lower-case hex SHA-256 of the token's UTF-8 text: what is stored and configured. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
