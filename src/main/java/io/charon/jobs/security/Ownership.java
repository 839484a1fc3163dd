package io.charon.jobs.security;

import io.charon.jobs.persistence.JsonColumns;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;

import java.time.Instant;
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

    /** True for its owner and admins: who may change or delete it. */
    public boolean manageableBy(String userId, boolean admin) {
        return admin || owner.equals(userId);
    }

    /** True for its owner, the users it is shared with, and admins. */
    public boolean usableBy(String userId, boolean admin) {
        return manageableBy(userId, admin) || users.contains(userId);
    }
}
