package io.charon.jobs.submission;

import io.charon.jobs.job.InvalidInputException;
/** The rules for an idempotency key, the same for the REST header and intake messages. */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    /** The key, or null when none was given; refuses one that is too long or not printable ASCII. */
    public static String validated(String key) {
        if (key == null || key.isEmpty()) {
            return null;
        }
        if (key.length() > MAX_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidInputException(HEADER, "must be 1 to " + MAX_LENGTH
                    + " printable ASCII characters without spaces, such as a UUID");
        }
        return key;
    }
}
