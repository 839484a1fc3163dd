package io.charon.jobs.execution;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Terminates a process and everything it started: TERM first, KILL after a grace period. */
public final class ProcessTree {

    private ProcessTree() {
    }

    public static void terminate(ProcessHandle root, Duration grace) {
        Set<ProcessHandle> tree = snapshot(root);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle process : tree) {
            long left = deadline - System.nanoTime();
            if (left > 0 && process.isAlive()) {
                try {
                    process.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    // the caller is being stopped: no more grace, the rest is killed below
                    Thread.currentThread().interrupt();
                    break;
                } catch (Exception e) {
                    // still alive after the grace period: killed below
                }
            }
        }
        // children may have been forked while the tree was going down: look again
        tree.addAll(snapshot(root));
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Descendants first (deepest last), then the root; taken before anything is signalled. */
    private static Set<ProcessHandle> snapshot(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(root);
        return new LinkedHashSet<>(all);
    }
}
