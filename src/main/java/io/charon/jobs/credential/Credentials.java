package io.charon.jobs.credential;

import io.charon.jobs.config.AnsibleConfig;
import io.charon.jobs.job.ConnectionValues;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.StoredNames;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.JobStatus;
import io.charon.jobs.job.SealedSecrets;
import io.charon.jobs.persistence.JsonColumns;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.security.Ownership;
import io.charon.jobs.security.SecretBox;
import io.charon.jobs.ssh.SshKeys;
import io.charon.jobs.store.ConstraintViolations;
import io.charon.jobs.store.Store;
import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.ForbiddenException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.LockModeType;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Stored credentials: created by an operator, who owns them; seen and used in jobs by the owner,
 * the users it lists and admins; changed and deleted by the owner and admins. Anyone else is
 * answered as if it did not exist. Secret fields are write-only: sealed with the service's key
 * ({@link SecretBox}) and never shown, logged, audited or repeated in an error. An ssh key is
 * checked with ssh-add before it is stored. Every change is audited in its own transaction.
 */
@ApplicationScoped
public class Credentials {

    public static final Pattern NAME = StoredNames.NAME;
    /** Ansible's become methods. */
    public static final List<String> BECOME_METHODS = List.of("sudo", "su", "doas", "pbrun", "pfexec", "dzdo", "ksu",
            "runas", "machinectl", "sesu");
    public static final String DEFAULT_BECOME_METHOD = "sudo";
    static final Pattern USERNAME = ConnectionValues.REMOTE_USER;
    static final int MAX_PRIVATE_KEY = 16 * 1024;
    static final int MAX_PASSWORD = 1024;
    static final int MAX_DESCRIPTION = 200;
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {
    };

    private final Store store;
    private final AuditTrail audit;
    private final SecretBox secretBox;
    private final Clock clock;
    private final SshKeyCheck keyCheck;

    public Credentials(Store store, AuditTrail audit, SecretBox secretBox, Clock clock, AnsibleConfig ansible) {
        this.store = store;
        this.audit = audit;
        this.secretBox = secretBox;
        this.clock = clock;
        this.keyCheck = new SshKeyCheck(ansible.workDir());
    }

    /** Key checks that a service killed outright left behind: their agents stopped, their files gone. */
    void removeLeftoverKeyChecks(@Observes StartupEvent start) {
        keyCheck.removeLeftovers();
    }

    /** What a request holds once checked: its clear fields and its secrets, sealed. */
    private record Checked(CredentialKind kind, String username, String method, String fingerprint, String description,
                           List<String> users, SealedSecrets secrets) {
    }

    /**
     * Stores a new credential owned by {@code userId}.
     *
     * @throws InvalidInputException naming each field at fault
     * @throws CredentialConflictException the name is taken
     */
    public Credential create(CredentialRequest request, String userId) {
        List<FieldError> errors = new ArrayList<>();
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            errors.add(new FieldError("name", StoredNames.RULE));
        }
        Checked checked = check(request, errors);
        Instant now = now();
        Credential credential = new Credential(request.name(), checked.kind(), userId, now, userId);
        credential.replace(checked.username(), checked.method(), checked.fingerprint(), checked.description(),
                checked.users(), checked.secrets(), now, userId);
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (store.session().find(Credential.class, request.name()) != null) {
                    throw taken(request.name());
                }
                store.session().persist(credential);
                store.session().flush(); // a create of the same name on another replica fails here, not at commit
                audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.CREDENTIAL_CREATE,
                        credential.name(), detail(credential))));
            });
        } catch (RuntimeException e) {
            if (ConstraintViolations.causedBy(e)) {
                throw taken(request.name());
            }
            throw e;
        }
        return credential;
    }

    /**
     * Replaces every field of the credential, its secrets included; the kind stays.
     *
     * @throws CredentialNotFoundException none that the caller may see
     * @throws ForbiddenException the caller may see it but is neither its owner nor an admin
     * @throws CredentialConflictException the request names another kind
     */
    @ActivateRequestContext
    public Credential update(String name, CredentialRequest request, String userId, boolean admin) {
        // the caller's right and the kind first: no key check for a request that cannot succeed
        CredentialKind kind = manageable(find(name), name, userId, admin).kind();
        List<FieldError> errors = new ArrayList<>();
        if (request.name() != null && !request.name().equals(name)) {
            errors.add(new FieldError("name", "must be left out or equal the name in the path"));
        }
        if (request.kind() != null && CredentialKind.fromWireName(request.kind()).filter(k -> k != kind).isPresent()) {
            throw kindChange(name, kind);
        }
        Checked checked = check(request, errors);
        return QuarkusTransaction.requiringNew().call(() -> {
            Credential credential = manageable(store.session().find(Credential.class, name,
                    LockModeType.PESSIMISTIC_WRITE), name, userId, admin);
            if (credential.kind() != checked.kind()) {
                throw kindChange(name, credential.kind());
            }
            credential.replace(checked.username(), checked.method(), checked.fingerprint(), checked.description(),
                    checked.users(), checked.secrets(), now(), userId);
            audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.CREDENTIAL_UPDATE, name,
                    detail(credential))));
            return credential;
        });
    }

    /**
     * Deletes the credential, unless a job that has not ended names it. Its row is locked first,
     * so a submission naming it (which locks the credentials it names against change) and this
     * delete take turns: either the job is there to be seen, or the submission finds no credential.
     *
     * @throws CredentialNotFoundException none that the caller may see
     * @throws ForbiddenException the caller may see it but is neither its owner nor an admin
     * @throws CredentialConflictException jobs that have not ended name it
     */
    public void delete(String name, String userId, boolean admin) {
        QuarkusTransaction.requiringNew().run(() -> {
            Credential credential = manageable(store.session().find(Credential.class, name,
                    LockModeType.PESSIMISTIC_WRITE), name, userId, admin);
            long jobs = unfinishedJobsNaming(name);
            if (jobs > 0) {
                throw new CredentialConflictException("credential " + name + " is named by " + jobs
                        + (jobs == 1 ? " job that has" : " jobs that have") + " not ended; cancel "
                        + (jobs == 1 ? "it" : "them") + " or wait until " + (jobs == 1 ? "it ends" : "they end"));
            }
            store.session().remove(credential);
            audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.CREDENTIAL_DELETE, name,
                    detail(credential))));
        });
    }

    /**
     * The credential, if the caller may see it (its owner, a user it lists, an admin).
     *
     * @throws CredentialNotFoundException none that the caller may see
     */
    @ActivateRequestContext
    public Credential get(String name, String userId, boolean admin) {
        return visible(find(name), name, userId, admin);
    }

    /**
     * The credential for a job of {@code userId}: the same rule as {@link #get}. Called in a
     * transaction (a submission's), it locks the credential's row against change until that
     * transaction ends: a delete waits for the submission and then finds its job.
     *
     * @throws CredentialNotFoundException missing, or not usable by this user
     */
    @ActivateRequestContext
    public Credential usable(String name, String userId, boolean admin) {
        Credential credential = name == null ? null : QuarkusTransaction.isActive()
                ? store.session().find(Credential.class, name, LockModeType.PESSIMISTIC_READ)
                : find(name);
        return visible(credential, name, userId, admin);
    }

    /** Every credential the caller may see, by name. */
    @ActivateRequestContext
    public List<Credential> list(String userId, boolean admin) {
        if (admin) {
            return store.session().createSelectionQuery("from Credential order by name", Credential.class).getResultList();
        }
        // the LIKE finds candidates (an _ in a name matches any character); usableBy decides
        return store.session().createNativeQuery("SELECT * FROM credentials WHERE owner = :user OR users LIKE :quoted"
                        + " ORDER BY name", Credential.class)
                .setParameter("user", userId).setParameter("quoted", "%" + JsonColumns.write(userId) + "%")
                .getResultList().stream().filter(c -> c.ownership().usableBy(userId, false)).toList();
    }

    private Credential find(String name) {
        return store.session().find(Credential.class, name);
    }

    private static Credential visible(Credential credential, String name, String userId, boolean admin) {
        if (credential == null || !credential.ownership().usableBy(userId, admin)) {
            throw new CredentialNotFoundException(name);
        }
        return credential;
    }

    private static Credential manageable(Credential credential, String name, String userId, boolean admin) {
        visible(credential, name, userId, admin);
        if (!credential.ownership().manageableBy(userId, admin)) {
            throw new ForbiddenException("only the owner of credential " + name + " or an admin may change or delete it");
        }
        return credential;
    }

    /** Jobs not yet ended whose credentials name this one. */
    private long unfinishedJobsNaming(String name) {
        @SuppressWarnings("unchecked")
        List<String> lists = store.session().createNativeQuery("SELECT credentials FROM jobs WHERE status IN (:statuses)"
                        + " AND credentials LIKE :quoted", String.class)
                .setParameter("statuses", JobStatus.UNFINISHED_WIRE_NAMES).setParameter("quoted", "%" + JsonColumns.write(name) + "%").getResultList();
        // the LIKE finds candidates (an _ matches any character, SQLite ignores case); the JSON decides
        return lists.stream().filter(list -> JsonColumns.read(list, NAMES).contains(name)).count();
    }

    /** Checks every field of the request for its kind; checks an ssh key; seals the secrets. */
    private Checked check(CredentialRequest request, List<FieldError> errors) {
        CredentialKind kind = request.kind() == null ? null : CredentialKind.fromWireName(request.kind()).orElse(null);
        if (kind == null) {
            errors.add(new FieldError("kind", "must be one of " + Arrays.stream(CredentialKind.values())
                    .map(CredentialKind::wireName).collect(Collectors.joining(", "))));
        }
        if (request.description() != null && (request.description().length() > MAX_DESCRIPTION
                || request.description().chars().anyMatch(Character::isISOControl))) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION
                    + " characters without control characters"));
        }
        List<String> users = Ownership.sharedWith(request.users(), errors);
        if (kind == null) {
            throw new InvalidInputException(errors);
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        String method = null;
        switch (kind) {
            case SSH -> {
                notOf(kind, errors, "method", request.method(), "password", request.password());
                username(request.username(), true, errors);
                if (request.privateKey() == null || request.privateKey().isBlank()) {
                    errors.add(new FieldError("privateKey", "is required: an OpenSSH or PEM private key"));
                } else if (request.privateKey().length() > MAX_PRIVATE_KEY || request.privateKey().indexOf('\0') >= 0) {
                    errors.add(new FieldError("privateKey", "must be at most " + MAX_PRIVATE_KEY
                            + " characters without NUL"));
                } else {
                    secrets.put(SealedCredential.PRIVATE_KEY, SshKeys.normalized(request.privateKey()));
                }
                password("passphrase", request.passphrase(), false, errors)
                        .ifPresent(p -> secrets.put(SealedCredential.PASSPHRASE, p));
            }
            case BECOME -> {
                notOf(kind, errors, "privateKey", request.privateKey(), "passphrase", request.passphrase());
                username(request.username(), false, errors);
                method = request.method() == null ? DEFAULT_BECOME_METHOD : request.method();
                if (!BECOME_METHODS.contains(method)) {
                    errors.add(new FieldError("method", "must be one of " + String.join(", ", BECOME_METHODS)));
                }
                password("password", request.password(), false, errors)
                        .ifPresent(p -> secrets.put(SealedCredential.PASSWORD, p));
            }
            case VAULT -> {
                notOf(kind, errors, "username", request.username(), "method", request.method(),
                        "privateKey", request.privateKey(), "passphrase", request.passphrase());
                password("password", request.password(), true, errors)
                        .ifPresent(p -> secrets.put(SealedCredential.PASSWORD, p));
            }
        }
        if (!secretBox.available()) {
            errors.add(new FieldError(secretField(kind), "cannot be accepted: no encryption key is configured"
                    + " (charon.security.secret-key)"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        String fingerprint = kind == CredentialKind.SSH ? keyCheck.fingerprint(
                secrets.get(SealedCredential.PRIVATE_KEY), secrets.get(SealedCredential.PASSPHRASE)) : null;
        return new Checked(kind, request.username(), method, fingerprint, request.description(), users,
                secretBox.seal(secrets));
    }

    private static String secretField(CredentialKind kind) {
        return kind == CredentialKind.SSH ? "privateKey" : "password";
    }

    /** Fields given that the kind has not: pairs of name and value. */
    private static void notOf(CredentialKind kind, List<FieldError> errors, String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                errors.add(new FieldError(namesAndValues[i], "is not a field of a " + kind.wireName() + " credential"));
            }
        }
    }

    private static void username(String username, boolean required, List<FieldError> errors) {
        if (username == null) {
            if (required) {
                errors.add(new FieldError("username", "is required"));
            }
        } else if (!USERNAME.matcher(username).matches()) {
            errors.add(new FieldError("username", "must be 1 to 100 letters, digits or _ . @ $ \\ -, starting with a"
                    + " letter, digit or _"));
        }
    }

    /** A password or passphrase: never repeated in a reason. */
    private static Optional<String> password(String field, String value, boolean required,
                                                        List<FieldError> errors) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return Optional.empty();
        }
        if (value.isEmpty() || value.length() > MAX_PASSWORD || value.chars().anyMatch(c -> c == 0 || c == '\n' || c == '\r')) {
            errors.add(new FieldError(field, "must be 1 to " + MAX_PASSWORD + " characters without NUL or line breaks"
                    + (required ? "" : "; leave it out for none")));
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** What the audit trail says of a credential: never a secret. */
    private static String detail(Credential credential) {
        StringBuilder detail = new StringBuilder("kind ").append(credential.kind().wireName());
        if (credential.username() != null) {
            detail.append(", username ").append(credential.username());
        }
        if (credential.becomeMethod() != null) {
            detail.append(", method ").append(credential.becomeMethod());
        }
        if (credential.fingerprint() != null) {
            detail.append(", fingerprint ").append(credential.fingerprint());
        }
        return detail.toString();
    }

    /** True when the store refused a row for a constraint: here, a name created a moment ago elsewhere. */
    private static CredentialConflictException taken(String name) {
        return new CredentialConflictException("a credential named " + name + " exists already");
    }

    private static CredentialConflictException kindChange(String name, CredentialKind kind) {
        return new CredentialConflictException("credential " + name + " is of kind " + kind.wireName()
                + "; a kind cannot change: delete it and create it anew");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
