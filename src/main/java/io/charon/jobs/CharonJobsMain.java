package io.charon.jobs;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The service's entry point. It only chooses how the JDK starts processes, which must happen
 * before the JDK starts its first one: sqlite-jdbc runs {@code uname -o} as it loads, long before
 * the first playbook, and the JDK reads the choice once, at that first start.
 */
@QuarkusMain
public final class CharonJobsMain {

    /** The JDK's way of starting processes; an operator's own choice on the command line stands. */
    private static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

    private CharonJobsMain() {
    }

    public static void main(String... args) {
        // vfork starts processes faster than the JDK 17 default (posix_spawn through jspawnhelper,
        // one exec more): docs/decisions/0003-vfork-process-launch.md
        if (System.getProperty(LAUNCH_MECHANISM) == null) {
            System.setProperty(LAUNCH_MECHANISM, "VFORK");
        }
        Quarkus.run(args);
    }
}
