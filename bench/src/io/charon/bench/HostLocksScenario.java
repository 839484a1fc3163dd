package io.charon.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * host-locks: what passing over jobs whose hosts are held costs a claim. {@code --jobs} queued
 * jobs, each on one of {@code --hosts} hosts (spread evenly: every host gets as many, and the jobs
 * on held hosts are evenly interleaved with the others in the queue), {@code --held-share} of the
 * hosts held by {@value HostLocksPlan#HOLDERS} running jobs, so that share of the jobs waits;
 * drained twice, each time on a fresh service: with host locks (every job {@code hostLock}
 * exclusive, the default) and without them (the same jobs, holders included, {@code hostLock} none).
 * <p>
 * Method: the service runs with the process runner and {@code bench/fake-ansible-holding}, whose
 * runs of {@code hold.yml} (the holders) last until the bench creates their release file, and whose
 * other runs end at once. A warm-up of {@code --drain-warmup} jobs on free hosts is drained first
 * (JIT warm-up); then the holders start with as many workers, the pool is paused, the queue is
 * filled, and {@code PUT /api/v1/workers} gives the pool {@code --workers} more than the holders.
 * With locks the drain ends when every job on a free host has completed and the jobs on held hosts
 * are all still queued; without, when every job has completed (the queue is the same; the jobs on
 * "held" hosts wait for nothing and run too). Compared per claim: the service's timer
 * {@code charon.jobs.claim} read from {@code /q/metrics} just before the resume and just after the
 * end, mean = Δsum / Δcount; its window max read every second in between. The drain rate is
 * that of the jobs that ran, from their own startedAt and completedAt. The two variants take turns
 * going first from run to run.
 * <p>
 * Mechanics checked: with locks, every job on a held host is still queued at the end, never
 * started (no attempt, no {@code job.started} event in the store), and a sample shows
 * {@code blockedBy} naming holders; every other measured job completed and ran exactly once; the
 * holders were running throughout and complete once released.
 */
final class HostLocksScenario extends Scenario {

    static final String HOLD_PLAYBOOK = "hold.yml";
    static final String PLAYBOOK = "hello.yml";
    /** The release file's path, in the service's environment and so in its runs'. */
    static final String RELEASE_ENV = "CHARON_BENCH_RELEASE";
    static final String MEASURED = DrainScenario.MEASURED;
    static final String HELD = HostLocksPlan.HELD;
    static final String FREE = HostLocksPlan.FREE;
    static final long POLL_MILLIS = DrainScenario.POLL_MILLIS;
    static final long METRICS_POLL_NANOS = Duration.ofSeconds(1).toNanos();
    static final Duration STALL = Duration.ofMinutes(2);
    static final Duration HOLDERS_START = Duration.ofMinutes(1);
    /** Jobs on held hosts whose blockedBy is read one by one. */
    static final int SAMPLED = 5;

    static final Figure RATIO = Figure.atMost("claim mean, host locks / none", "", 2, 1.5);

    enum Variant {
        LOCKED("locked", "exclusive", "host locks"),
        UNLOCKED("unlocked", "none", "no host locks");

        final String label;
        final String hostLock;
        final String shown;

        Variant(String label, String hostLock, String shown) {
            this.label = label;
            this.hostLock = hostLock;
            this.shown = shown;
        }

        Figure claimMean() {
            return Figure.info("claim mean, " + shown, "ms", 3);
        }

        Figure claimPerJob() {
            return Figure.info("claim time per job started, " + shown, "ms", 3);
        }

        Figure claimMax() {
            return Figure.info("claim max, " + shown, "ms", 1);
        }

        Figure jobsPerClaim() {
            return Figure.info("jobs started per claim, " + shown, "", 2);
        }

        Figure drainRate() {
            return Figure.info("drain rate, " + shown, "jobs/s", 0);
        }
    }

    @Override
    String name() {
        return "host-locks";
    }

    @Override
    String summary() {
        return "claim time with a share of the queue waiting for held hosts, against the same queue without host locks";
    }

    @Override
    Map<String, String> settings(Options options) {
        Map<String, String> settings = options.texts("jobs", "hosts", "held-share", "drain-warmup", "workers", "clients",
                "run-dirs");
        settings.put("holders", HostLocksPlan.HOLDERS + "x" + HOLD_PLAYBOOK);
        settings.put("fake", "bench/fake-ansible-holding");
        return settings;
    }

    /** One drain's figures. */
    record Drain(double meanMillis, double perJobMillis, double maxMillis, double jobsPerClaim, double rate, String maxNote) {
    }

    @Override
    RunFigures runOnce(RunContext run) {
        HostLocksPlan plan = HostLocksPlan.of(run.options());
        // each goes first in every other run: a drain after another one leaves its traces in the file system
        List<Variant> order = run.number() % 2 == 1 ? List.of(Variant.LOCKED, Variant.UNLOCKED)
                : List.of(Variant.UNLOCKED, Variant.LOCKED);
        Map<Variant, Drain> drains = new EnumMap<>(Variant.class);
        for (Variant variant : order) {
            drains.put(variant, drain(run, plan, variant));
        }
        Drain locked = drains.get(Variant.LOCKED);
        Drain unlocked = drains.get(Variant.UNLOCKED);
        RunFigures figures = new RunFigures();
        figures.put(Variant.LOCKED.claimMean(), locked.meanMillis())
                .put(Variant.UNLOCKED.claimMean(), unlocked.meanMillis())
                .put(RATIO, locked.meanMillis() / unlocked.meanMillis());
        for (Variant variant : Variant.values()) {
            figures.put(variant.claimPerJob(), drains.get(variant).perJobMillis());
        }
        for (Variant variant : Variant.values()) {
            figures.put(variant.claimMax(), drains.get(variant).maxMillis());
        }
        for (Variant variant : Variant.values()) {
            figures.put(variant.jobsPerClaim(), drains.get(variant).jobsPerClaim());
        }
        for (Variant variant : Variant.values()) {
            figures.put(variant.drainRate(), drains.get(variant).rate());
        }
        drains.values().stream().map(Drain::maxNote).filter(note -> note != null).forEach(figures::note);
        return figures.note(String.format(Locale.ROOT, "%,d queued jobs on %,d hosts, %,d of them (%,d jobs) held by %d"
                        + " running %s jobs; with host locks the %,d jobs on free hosts drain, without all %,d; --workers %d"
                        + " beside the holders", plan.jobs(), plan.hosts(), plan.heldHosts(), plan.heldJobs(), plan.holders(),
                HOLD_PLAYBOOK, plan.freeJobs(), plan.jobs(), plan.workers()))
                .note("claim mean = delta sum / delta count of the timer charon.jobs.claim (/q/metrics) from the resume"
                        + " to the end of the drain, every claim transaction counted (the dispatcher's and those along"
                        + " submissions and outcomes); claim time per job started = delta sum / jobs that ran (claims"
                        + " differ in size); claim max = the timer's window max, read every second; drain rate ="
                        + " jobs that ran / (last completedAt - first startedAt)");
    }

    private static Drain drain(RunContext run, HostLocksPlan plan, Variant variant) {
        Path release = run.directory("release-" + variant.label).resolve("release");
        ServiceUnderTest.Builder builder = run.service(variant.label).workers(0, plan.holders() + plan.workers())
                .set("charon.ansible.command", run.layout().holdingFake())
                .env(RELEASE_ENV, release.toString());
        ServiceUnderTest service = run.start(builder);
        ServiceClient client = service.client();
        try {
            if (plan.warmup() > 0) {
                fill(service, plan, plan.warmup(),
                        i -> HostLocksPlan.body("warmup-" + i, PLAYBOOK, List.of(plan.freeHost(i)), variant.hostLock, null));
                client.resize(plan.workers());
                client.awaitIdle(STALL, POLL_MILLIS);
                client.resize(0);
                Bench.note(String.format("%s: warm-up drained %,d jobs, paused again", variant.label, plan.warmup()));
            }
            List<String> holders = startHolders(client, plan, variant, release);
            LoadGenerator.Outcome fill = fill(service, plan, plan.jobs(),
                    i -> HostLocksPlan.body(plan.name(i), PLAYBOOK, List.of(plan.host(i)), variant.hostLock, null));
            long queued = client.workers().queueSize();
            if (queued != plan.jobs()) {
                throw new ScenarioFailure("submitted " + plan.jobs() + " jobs to a paused service but " + queued + " are queued");
            }
            long ran = variant == Variant.LOCKED ? plan.freeJobs() : plan.jobs();
            long left = plan.jobs() - ran;
            Bench.note(String.format("%s: queued %,d jobs at %.0f jobs/s, %,d on held hosts; resuming %d + %d workers",
                    variant.label, plan.jobs(), fill.perSecond(), plan.heldJobs(), plan.holders(), plan.workers()));

            ClaimTimer before = ClaimTimer.read(client);
            long resumed = System.nanoTime();
            client.resize(plan.holders() + plan.workers());
            double maxSeconds = awaitDrained(client, left, holders);
            ClaimTimer after = ClaimTimer.read(client);
            double clientSeconds = (System.nanoTime() - resumed) / 1e9;
            maxSeconds = Math.max(maxSeconds, after.maxSeconds());

            DrainedJobs drained = DrainedJobs.read(client, MEASURED).requireAllCompleted(client, ran);
            RunsOnRecord.read(service.store(), variant == Variant.LOCKED ? FREE : MEASURED).requireEachRunOnce(ran);
            if (variant == Variant.LOCKED) {
                checkHeldJobsWaited(service, plan, holders);
            }
            long claims = after.claimsSince(before);
            double mean = after.meanMillisSince(before);
            Bench.note(String.format(Locale.ROOT, "%s: %,d jobs ran in %.2f s from the first start to the last completion"
                            + " (%.2f s seen by the client), %,d left queued; %,d claims, mean %.3f ms, max %.1f ms",
                    variant.label, ran, drained.seconds(), clientSeconds, left, claims, mean, maxSeconds * 1000));
            // the window max still shows claims from before the resume when none since took longer
            String maxNote = maxSeconds > before.maxSeconds() ? null : String.format(Locale.ROOT,
                    "claim max, %s (run %d): no claim of the drain took longer than the slowest of the two minutes before it"
                            + " (warm-up), %.1f ms: an upper bound", variant.shown, run.number(), maxSeconds * 1000);

            releaseHolders(client, release);
            for (String holder : holders) {
                Object status = client.waitFor(holder, Duration.ofSeconds(30)).get("status");
                if (!"completed".equals(status)) {
                    throw new ScenarioFailure("holder " + holder + " is " + status + " after its release, not completed");
                }
            }
            return new Drain(mean, mean * claims / ran, maxSeconds * 1000, (double) ran / claims, ran / drained.seconds(), maxNote);
        } finally {
            // the jobs on held hosts are not run after all: paused first
            if (!Files.exists(release)) {
                try {
                    releaseHolders(client, release);
                } catch (RuntimeException e) {
                    // a service that died lets its runs go anyway; the fakes end with the run's data
                }
            }
            service.stop();
        }
    }

    interface Bodies {
        String body(long index);
    }

    private static LoadGenerator.Outcome fill(ServiceUnderTest service, HostLocksPlan plan, long jobs, Bodies bodies) {
        return LoadGenerator.closedLoop(service.port(), plan.clients(), jobs, Duration.ofHours(2), 201,
                i -> RawHttpConnection.Request.postJson("/api/v1/jobs", bodies.body(i)), null)
                .requireNoErrors("filling the queue");
    }

    /** Starts the holders with a pool of as many workers, waits until all run, pauses the pool; their ids. */
    private static List<String> startHolders(ServiceClient client, HostLocksPlan plan, Variant variant, Path release) {
        client.resize(plan.holders());
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < plan.holders(); k++) {
            String body = HostLocksPlan.body("holder-" + k, HOLD_PLAYBOOK, plan.holderHosts(k), variant.hostLock, release);
            ids.add((String) client.submit(body).get("id"));
        }
        long deadline = System.nanoTime() + HOLDERS_START.toNanos();
        while (!running(client, plan.holders()).equals(new HashSet<>(ids))) {
            if (System.nanoTime() > deadline) {
                throw new ScenarioFailure("the " + plan.holders() + " holders did not all run within " + HOLDERS_START
                        + "; running: " + running(client, plan.holders()));
            }
            Pause.millis(POLL_MILLIS);
        }
        client.resize(0);
        Bench.note(String.format("%s: %d holders running on %d hosts, paused", variant.label, plan.holders(), plan.heldHosts()));
        return ids;
    }

    /** The ids of the jobs the listing shows running, up to {@code expected} + 1 of them. */
    @SuppressWarnings("unchecked")
    private static Set<String> running(ServiceClient client, int expected) {
        Map<String, Object> page = ServiceClient.expect(client.get("/api/v1/jobs?status=running&limit=" + (expected + 1)), 200).json();
        return ((List<Map<String, Object>>) page.get("items")).stream().map(job -> (String) job.get("id"))
                .collect(Collectors.toSet());
    }

    /**
     * Polls until {@code left} jobs are queued and only the holders run (the pool, and the listing,
     * which also sees jobs claimed but not yet started); reads the claim timer's window max every
     * second meanwhile and returns the largest, in seconds. Fails when fewer are queued than must
     * be left (a job on a held host started), and when nothing moved for {@link #STALL}.
     */
    private static double awaitDrained(ServiceClient client, long left, List<String> holders) {
        Set<String> holding = new HashSet<>(holders);
        double max = 0;
        long lastRead = System.nanoTime();
        ServiceClient.Workers last = client.workers();
        long lastChange = System.nanoTime();
        while (last.queueSize() != left || last.activeJobs() != holders.size()
                || !running(client, holders.size()).equals(holding)) {
            if (last.queueSize() < left) {
                throw new ScenarioFailure(last.queueSize() + " jobs are queued, fewer than the " + left
                        + " on held hosts: jobs waiting for held hosts started");
            }
            Pause.millis(POLL_MILLIS);
            if (System.nanoTime() - lastRead >= METRICS_POLL_NANOS) {
                max = Math.max(max, ClaimTimer.read(client).maxSeconds());
                lastRead = System.nanoTime();
            }
            ServiceClient.Workers now = client.workers();
            if (now.queueSize() != last.queueSize() || now.activeJobs() != last.activeJobs()) {
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > STALL.toNanos()) {
                throw new ScenarioFailure("the service made no progress for " + STALL + ": " + now);
            }
            last = now;
        }
        return max;
    }

    /**
     * Every job on a held host is still queued, never started (the listing's startedAt and
     * retryCount, the store's attempts and job.started events), and a sample of them shows in
     * blockedBy holders only.
     */
    @SuppressWarnings("unchecked")
    private static void checkHeldJobsWaited(ServiceUnderTest service, HostLocksPlan plan, List<String> holders) {
        ServiceClient client = service.client();
        List<String> waiting = new ArrayList<>();
        List<String> started = new ArrayList<>();
        client.forEachJob("status=queued", job -> {
            if (((String) job.get("name")).startsWith(HELD)) {
                waiting.add((String) job.get("id"));
                if (job.get("startedAt") != null || ServiceClient.number(job, "retryCount") != 0) {
                    started.add((String) job.get("id"));
                }
            }
        });
        if (waiting.size() != plan.heldJobs() || !started.isEmpty()) {
            throw new ScenarioFailure(plan.heldJobs() + " jobs on held hosts should wait, queued and never started; "
                    + waiting.size() + " are queued, of which " + started.size() + " show a start or a retry");
        }
        long runs = RunsOnRecord.starts(service.store(), HELD);
        if (runs != 0) {
            throw new ScenarioFailure("the store records " + runs + " attempts and job.started events of jobs on held hosts");
        }
        for (String id : waiting.subList(0, Math.min(SAMPLED, waiting.size()))) {
            Map<String, Object> job = client.job(id);
            List<Map<String, Object>> blockers = (List<Map<String, Object>>) job.get("blockedBy");
            if (blockers == null || blockers.isEmpty() || !blockers.stream().allMatch(b -> holders.contains((String) b.get("jobId")))) {
                throw new ScenarioFailure("job " + id + " on a held host shows blockedBy " + blockers + ", not its holder");
            }
        }
        Bench.note(String.format("locked: all %,d jobs on held hosts still queued, never started; blockedBy names a holder"
                + " in each of %d read", waiting.size(), Math.min(SAMPLED, waiting.size())));
    }

    /** Pauses the pool, so that nothing waiting for the holders' hosts starts, and lets the holders end. */
    private static void releaseHolders(ServiceClient client, Path release) {
        try {
            client.resize(0);
        } finally {
            try {
                Files.createFile(release);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the release file " + release, e);
            }
        }
    }
}
