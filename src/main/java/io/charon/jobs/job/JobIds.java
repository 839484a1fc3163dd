package io.charon.jobs.job;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Job ids are version 7 UUIDs (RFC 9562): the creation millisecond first, then random bits. Ids
 * of new jobs therefore sort by creation, so every index keyed by job id (the jobs' primary key,
 * events, attempts, tags) grows at its right edge: a group commit of many jobs writes a few
 * pages instead of one random page per job and index.
 */
public final class JobIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {
    }

    public static String next(Instant createdAt) {
        long millis = createdAt.toEpochMilli();
        long mostSignificant = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long leastSignificant = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(mostSignificant, leastSignificant).toString();
    }
}
