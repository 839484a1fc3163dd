package io.charon.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Who runs where: job {@code i} of the queue is on a held host when the held share of the jobs
 * before it falls short ({@code floor((i+1)·h/H) > floor(i·h/H)}, h held of H hosts), so the
 * jobs on held hosts are evenly interleaved; each kind goes round robin over its hosts.
 */
record HostLocksPlan(int jobs, int hosts, int heldHosts, int holders, int workers, int warmup, int clients) {

    /** Running jobs that hold the held hosts between them (fewer when fewer hosts are held). */
    static final int HOLDERS = 10;
    static final String HELD = DrainScenario.MEASURED + "held-";
    static final String FREE = DrainScenario.MEASURED + "free-";

    static HostLocksPlan of(Options options) {
        int jobs = options.integer("jobs");
        int hosts = options.integer("hosts");
        double share = options.decimal("held-share");
        int held = (int) Math.round(hosts * share);
        if (jobs < 1 || hosts < 2 || held < 1 || held >= hosts) {
            throw new ScenarioFailure("host-locks needs --jobs of at least 1 and --hosts and --held-share that hold"
                    + " some hosts and leave some free (" + hosts + " x " + share + " = " + held + " held)");
        }
        return new HostLocksPlan(jobs, hosts, held, Math.min(HOLDERS, held), options.integer("workers"),
                options.integer("drain-warmup"), options.integer("clients"));
    }

    /** Jobs on held hosts among the first {@code count}. */
    long heldBefore(long count) {
        return count * heldHosts / hosts;
    }

    boolean held(long i) {
        return heldBefore(i + 1) > heldBefore(i);
    }

    long heldJobs() {
        return heldBefore(jobs);
    }

    long freeJobs() {
        return jobs - heldJobs();
    }

    String name(long i) {
        return (held(i) ? HELD : FREE) + i;
    }

    String host(long i) {
        return held(i) ? "host-" + heldBefore(i) % heldHosts : freeHost(i - heldBefore(i));
    }

    /** The free host of the {@code n}th job on a free host. */
    String freeHost(long n) {
        return "host-" + (heldHosts + n % (hosts - heldHosts));
    }

    /** The hosts holder {@code k} holds: every held host numbered k modulo the holders. */
    List<String> holderHosts(int k) {
        List<String> names = new ArrayList<>();
        for (int host = k; host < heldHosts; host += holders) {
            names.add("host-" + host);
        }
        return names;
    }

    /** A job's JSON: one playbook on {@code hosts}, {@code hostLock}, {@code release} as a variable if given. */
    static String body(String name, String playbook, List<String> hosts, String hostLock, Path release) {
        return "{\"name\":" + Json.quote(name) + ",\"playbook\":" + Json.quote(playbook) + ",\"inventory\":["
                + hosts.stream().map(Json::quote).collect(Collectors.joining(",")) + "],\"hostLock\":"
                + Json.quote(hostLock)
                + (release == null ? "" : ",\"variables\":{\"release\":" + Json.quote(release.toString()) + "}") + "}";
    }
}
