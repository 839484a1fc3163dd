package io.charon.jobs.job;

import java.util.List;

/** One page of a listing, newest first, and the cursor of the next page (null on the last). */
public record JobPage(List<Job> items, String nextCursor) {
}
