package io.charon.jobs.api;

import java.util.List;

public record JobPageView(List<JobView> items, String nextCursor) {
}
