package io.charon.jobs.execution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Terminates a process and everything it started: TERM first, KILL after a grace period.
 * A root that leads its own session (runs are started through setsid) takes its whole session
 * down: a process whose parent died while the tree went down is re-parented away from the root
 * and no longer among its descendants, but it stays in the session.
 */
public final class ProcessTree {

    private ProcessTree() {
    }

    public static void terminate(ProcessHandle root, Duration grace) {
        boolean sessionLeader = sessionOf(root.pid()).orElse(-1) == root.pid();
        Set<ProcessHandle> tree = snapshot(root, sessionLeader);
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
        tree.addAll(snapshot(root, sessionLeader));
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Descendants first, then the root, then the rest of its session; taken before anything is signalled. */
    private static Set<ProcessHandle> snapshot(ProcessHandle root, boolean sessionLeader) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(root);
        if (sessionLeader) {
            long self = ProcessHandle.current().pid();
            ProcessHandle.allProcesses()
                    .filter(p -> p.pid() != self && sessionOf(p.pid()).orElse(-1) == root.pid())
                    .forEach(all::add);
        }
        return new LinkedHashSet<>(all);
    }

    /** The session id from {@code /proc/<pid>/stat}; none where there is no /proc or the process is gone. */
    static OptionalLong sessionOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(fields[3]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
