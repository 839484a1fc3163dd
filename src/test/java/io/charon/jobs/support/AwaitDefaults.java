package io.charon.jobs.support;

import io.quarkus.test.junit.callback.QuarkusTestBeforeClassCallback;
import org.awaitility.Awaitility;
import org.awaitility.pollinterval.IterativePollInterval;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.time.Duration;

/**
 * How every {@code await()} of the tests polls, unless it says otherwise: at once, then after 10,
 * 20, 40 and 80 ms, then every 100 ms. Awaitility's own default waits 100 ms before the first
 * look, which the suite's thousands of waits for a condition that already holds or soon will
 * paid in full. Set in each class loader that runs tests: the launcher's, for plain tests
 * (META-INF/services, LauncherSessionListener), and each Quarkus application's, which loads its
 * own Awaitility (a Quarkus test callback).
 */
public final class AwaitDefaults implements LauncherSessionListener, QuarkusTestBeforeClassCallback {

    static final Duration FIRST_INTERVAL = Duration.ofMillis(10);
    static final Duration LONGEST_INTERVAL = Duration.ofMillis(100);

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        apply();
    }

    @Override
    public void beforeClass(Class<?> testClass) {
        apply();
    }

    static void apply() {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(new IterativePollInterval(
                previous -> previous.multipliedBy(2).compareTo(LONGEST_INTERVAL) < 0 ? previous.multipliedBy(2) : LONGEST_INTERVAL,
                FIRST_INTERVAL));
    }
}
