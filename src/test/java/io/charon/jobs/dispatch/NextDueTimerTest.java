package io.charon.jobs.dispatch;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher keeps one timer for the next scheduled job, however many passes it makes before
 * that job is due: a pass used to replace the timer with a new one, and the replaced ones stayed
 * queued until their time, days ahead, growing the heap by one timer per pass.
 */
@QuarkusTest
class NextDueTimerTest {

    @Inject
    Dispatcher dispatcher;

    @Test
    void passesBeforeAScheduledJobIsDueLeaveOneTimerQueued() {
        Map<String, Object> later = Api.job("due-tomorrow", "hello.yml");
        later.put("scheduledAt", Instant.now().plus(Duration.ofDays(1)).toString());
        String id = Api.submit(later);
        assertThat(Api.status(id)).isEqualTo("scheduled");

        for (int i = 0; i < 50; i++) {
            Instant before = dispatcher.lastPass();
            dispatcher.wake();
            await().atMost(Duration.ofSeconds(60)).until(() -> dispatcher.lastPass().isAfter(before));
        }

        // a pass woken by other work may be queued for a moment beside the timer
        await().atMost(Duration.ofSeconds(60)).until(() -> dispatcher.queuedTasks() == 1);
    }
}
