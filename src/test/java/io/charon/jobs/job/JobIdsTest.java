package io.charon.jobs.job;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class JobIdsTest {

    @Test
    void idsAreVersion7UuidsThatSortByCreationTime() {
        Instant start = Instant.parse("2030-01-01T00:00:00Z");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(JobIds.next(start.plusMillis(i)));
        }

        assertThat(ids).isSorted().doesNotHaveDuplicates();
        UUID first = UUID.fromString(ids.get(0));
        assertThat(first.version()).isEqualTo(7);
        assertThat(first.variant()).isEqualTo(2);
        assertThat(first.getMostSignificantBits() >>> 16).isEqualTo(start.toEpochMilli());
    }
}
