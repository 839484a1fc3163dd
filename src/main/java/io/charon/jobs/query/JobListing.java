package io.charon.jobs.query;

import io.charon.jobs.job.InstantRange;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobFilter;
import io.charon.jobs.job.JobPage;
import io.charon.jobs.job.JobStatus;
import jakarta.persistence.EntityManager;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;

/** The job listing: its query, built from a filter, and its cursor. */
final class JobListing {

    private JobListing() {
    }

    /**
     * Newest first, keyset-paged: the cursor names the last job of the previous page. With a tag,
     * the tag's index (ordered like the page) drives the query; otherwise the jobs' own indexes do.
     */
    @SuppressWarnings("unchecked")
    static JobPage page(EntityManager session, JobFilter filter, int limit, String cursor) {
        boolean byTag = filter.tag() != null;
        // the columns that order the page: the tag entry's copy, or the job's own
        String created = byTag ? "t.created_at" : "j.created_at";
        String id = byTag ? "t.job_id" : "j.id";
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder(byTag
                ? "SELECT j.* FROM job_tags t JOIN jobs j ON j.id = t.job_id WHERE t.tag = ?1"
                : "SELECT j.* FROM jobs j WHERE 1 = 1");
        if (byTag) {
            params.add(filter.tag());
        }
        if (!filter.statuses().isEmpty()) {
            StringJoiner in = new StringJoiner(", ", " AND j.status IN (", ")");
            for (JobStatus status : filter.statuses()) {
                params.add(status.wireName());
                in.add("?" + params.size());
            }
            sql.append(in);
        }
        if (filter.type() != null) {
            params.add(filter.type().wireName());
            sql.append(" AND j.type = ?").append(params.size());
        }
        if (filter.priority() != null) {
            params.add(filter.priority().value());
            sql.append(" AND j.priority = ?").append(params.size());
        }
        if (filter.userId() != null) {
            params.add(filter.userId());
            sql.append(" AND j.user_id = ?").append(params.size());
        }
        if (filter.createdAfter() != null) {
            params.add(filter.createdAfter());
            sql.append(" AND ").append(created).append(" >= ?").append(params.size());
        }
        if (filter.createdBefore() != null) {
            params.add(filter.createdBefore());
            sql.append(" AND ").append(created).append(" < ?").append(params.size());
        }
        if (cursor != null) {
            Cursor after = Cursor.decode(cursor);
            params.add(after.createdAt());
            int at = params.size();
            params.add(after.id());
            sql.append(" AND (").append(created).append(" < ?").append(at).append(" OR (").append(created)
                    .append(" = ?").append(at).append(" AND ").append(id).append(" < ?").append(at + 1).append("))");
        }
        sql.append(" ORDER BY ").append(created).append(" DESC, ").append(id).append(" DESC LIMIT ").append(limit + 1);
        var query = session.createNativeQuery(sql.toString(), Job.class);
        for (int i = 0; i < params.size(); i++) {
            query.setParameter(i + 1, params.get(i));
        }
        List<Job> rows = query.getResultList();
        if (rows.size() <= limit) {
            return new JobPage(rows, null);
        }
        Job last = rows.get(limit - 1);
        return new JobPage(rows.subList(0, limit), new Cursor(last.getCreatedAt(), last.getId()).encode());
    }

    /** Position in the newest-first listing, opaque to clients. */
    record Cursor(Instant createdAt, String id) {

        String encode() {
            String raw = createdAt.toEpochMilli() + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                Instant createdAt = Instant.ofEpochMilli(Long.parseLong(raw.substring(0, colon)));
                if (!InstantRange.contains(createdAt)) {
                    throw new IllegalArgumentException("no job was created then");
                }
                return new Cursor(createdAt, raw.substring(colon + 1));
            } catch (RuntimeException e) {
                throw new InvalidInputException("cursor", "is not a cursor returned by this listing");
            }
        }
    }
}
