package io.charon.jobs.security;

import io.charon.jobs.job.FieldError;
import io.charon.jobs.persistence.JsonColumns;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Who owns something stored by name (a credential, an inventory), who else may use it, and who
 * created and last changed it, when. The rule: its owner and admins manage it; the users it is
 * shared with see it and use it; anyone else must not learn that it exists.
 */
@Embeddable
public record Ownership(
        @Column(nullable = false) String owner,
        @Convert(converter = JsonColumns.StringList.class) @Column(nullable = false) List<String> users,
        @Column(name = "created_at", nullable = false) Instant createdAt,
        @Column(name = "created_by", nullable = false) String createdBy,
        @Column(name = "updated_at", nullable = false) Instant updatedAt,
        @Column(name = "updated_by", nullable = false) String updatedBy) {

    /** How many users one thing may be shared with. */
    public static final int MAX_USERS = 100;

    public Ownership {
        users = users == null ? List.of() : List.copyOf(users);
    }

    /** Created now by its owner, shared with {@code users}. */
    public static Ownership of(String owner, List<String> users, Instant now) {
        return new Ownership(owner, users, now, owner, now, owner);
    }

    /** The same owner, now shared with {@code users}, changed by {@code by} at {@code now}. */
    public Ownership changed(List<String> users, Instant now, String by) {
        return new Ownership(owner, users, createdAt, createdBy, now, by);
    }

    /**
     * The users a request shares something with, each once, in the order given; every one that
     * is not a user id adds an error to {@code errors}, naming its place in {@code users}.
     */
    public static List<String> sharedWith(List<String> users, List<FieldError> errors) {
        return sharedWith("users", users, errors);
    }

    /** As {@link #sharedWith(List, List)}, for a request that names the list {@code field}. */
    public static List<String> sharedWith(String field, List<String> users, List<FieldError> errors) {
        if (users == null) {
            return List.of();
        }
        if (users.size() > MAX_USERS) {
            errors.add(new FieldError(field, "must list at most " + MAX_USERS + " users"));
            return List.of();
        }
        for (int i = 0; i < users.size(); i++) {
            if (users.get(i) == null || !ApiTokens.USER.matcher(users.get(i)).matches()) {
                errors.add(new FieldError(field + "[" + i + "]", "must be a user id: 1 to 100 letters, digits or _ . @ -,"
                        + " starting with a letter or digit"));
            }
        }
        return List.copyOf(new LinkedHashSet<>(users.stream().filter(user -> user != null).toList()));
    }

    /** True for its owner and admins: who may change or delete it. */
    public boolean manageableBy(String userId, boolean admin) {
        return admin || owner.equals(userId);
    }

    /** True for its owner, the users it is shared with, and admins. */
    public boolean usableBy(String userId, boolean admin) {
        return manageableBy(userId, admin) || users.contains(userId);
    }
}
