package io.charon.jobs.events;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadPacingTest {

    private final ScheduledThreadPoolExecutor reader = new ScheduledThreadPoolExecutor(1);

    @AfterEach
    void stop() {
        reader.shutdownNow();
    }

    @Test
    void aWakeAfterAQuietSpellReadsAtOnce() throws InterruptedException {
        ReadPacing pacing = new ReadPacing(Duration.ofHours(1));
        CountDownLatch read = new CountDownLatch(1);

        pacing.schedule(reader, read::countDown);

        assertTrue(read.await(10, TimeUnit.SECONDS), "the first read was not run at once");
    }

    @Test
    void aWakeSoonAfterAReadWaitsForTheInterval() {
        ReadPacing pacing = new ReadPacing(Duration.ofHours(1));
        pacing.reading();

        pacing.schedule(reader, () -> {
        });

        assertEquals(1, reader.getQueue().size(), "the read was not held back");
        long delay = ((Delayed) reader.getQueue().peek()).getDelay(TimeUnit.MINUTES);
        assertTrue(delay > 55 && delay <= 60, "held back for " + delay + " minutes, not until the interval has passed");
    }
}
