package io.charon.jobs.schedule;

import io.charon.jobs.commit.EventRecorder;
import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.dispatch.ServiceLifecycle;
import io.charon.jobs.execution.LogFiles;
import io.charon.jobs.job.Actor;
import io.charon.jobs.job.IdempotencyConflictException;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobEventType;
import io.charon.jobs.job.JobSpec;
import io.charon.jobs.lifecycle.Canceller;
import io.charon.jobs.persistence.JsonColumns;
import io.charon.jobs.query.JobQueries;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.store.RolledBackByConflict;
import io.charon.jobs.store.Store;
import io.charon.jobs.submission.JobSubmitter;
import io.charon.jobs.template.LaunchRequest;
import io.charon.jobs.template.Template;
import io.charon.jobs.template.TemplateLauncher;
import io.charon.jobs.template.TemplateNotFoundException;
import io.charon.jobs.template.Templates;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fires schedules: every second, each enabled schedule whose next slot is due has its due slots
 * handled in one transaction that locks the schedule's row, stores the slot's job (its
 * idempotency key made of the schedule and the slot), records the slot, and moves the schedule
 * past it. Replicas that race for a schedule wait for each other's lock and find the slots
 * handled; a firing cut short (kill -9) commits nothing and is done again.
 *
 * <p>A slot handled within {@link #ON_TIME} of its instant fires. Slots found later (the service
 * was down) are misfires: under {@code run-once} the latest of them fires if it is still within
 * the schedule's start deadline and the others are missed; under {@code skip} all are missed.
 */
@ApplicationScoped
public class ScheduleFirer {

    /** How late a firing may come and still count as on time: well above the firing interval. */
    static final Duration ON_TIME = Duration.ofMinutes(1);
    /** The most slots one firing walks through; an outage longer than that many slots counts them no further. */
    static final int MOST_SLOTS = 100_000;

    private static final Logger LOG = Logger.getLogger(ScheduleFirer.class);

    private final Store store;
    private final Clock clock;
    private final Templates templates;
    private final TemplateLauncher launcher;
    private final JobSubmitter submitter;
    private final JobQueries jobs;
    private final Canceller canceller;
    private final EventRecorder events;
    private final ServiceLifecycle lifecycle;
    private final JobsConfig config;

    public ScheduleFirer(Store store, Clock clock, Templates templates, TemplateLauncher launcher, JobSubmitter submitter,
                         JobQueries jobs, Canceller canceller, EventRecorder events, ServiceLifecycle lifecycle,
                         JobsConfig config) {
        this.store = store;
        this.clock = clock;
        this.templates = templates;
        this.launcher = launcher;
        this.submitter = submitter;
        this.jobs = jobs;
        this.canceller = canceller;
        this.events = events;
        this.lifecycle = lifecycle;
        this.config = config;
    }

    @Scheduled(every = "${charon.schedules.fire-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "charon-schedule-firer")
    void tick() {
        if (lifecycle.isDraining()) {
            return; // the slots stay due: another replica, or the next start, handles them
        }
        try {
            fireDue(clock.instant());
        } catch (RuntimeException e) {
            LOG.warnf("schedules could not be fired now (they will be on the next pass): %s", e.getMessage());
        }
    }

    /** Handles the slots due at {@code now} of every enabled schedule; returns how many schedules it looked at. */
    public int fireDue(Instant now) {
        List<String> due = dueSchedules(now);
        for (String name : due) {
            try {
                fire(name, now);
            } catch (RuntimeException e) {
                LOG.warnf("schedule %s could not be fired now (it will be on the next pass): %s", name, e.getMessage());
            }
        }
        return due.size();
    }

    @ActivateRequestContext
    List<String> dueSchedules(Instant now) {
        return store.session().createSelectionQuery("select name from Schedule where enabled = true and nextSlot <= :now"
                + " order by nextSlot", String.class).setParameter("now", now).getResultList();
    }

    /** Handles the due slots of one schedule, in one transaction. */
    void fire(String name, Instant now) {
        RolledBackByConflict.retrying("a schedule's firing", () -> QuarkusTransaction.requiringNew().run(() -> {
            Schedule schedule = store.session().find(Schedule.class, name, LockModeType.PESSIMISTIC_WRITE);
            if (schedule == null || !schedule.enabled() || schedule.nextSlot() == null || schedule.nextSlot().isAfter(now)) {
                return; // handled by another replica meanwhile, changed or gone
            }
            SlotCalendar calendar = schedule.calendar();
            List<Instant> due = new ArrayList<>();
            Optional<Instant> next = Optional.of(schedule.nextSlot());
            while (next.isPresent() && !next.get().isAfter(now) && due.size() < MOST_SLOTS) {
                due.add(next.get());
                next = calendar.next(next.get());
            }
            if (next.isPresent() && !next.get().isAfter(now)) {
                next = calendar.next(now); // beyond what one firing counts: the rest are missed uncounted
            }
            // a change of the schedule may set its next slot back to one already handled (it read
            // the time before this firing took the row): that slot has its record, and its job
            Instant handled = schedule.lastHandledSlot();
            if (handled != null) {
                due.removeIf(slot -> !slot.isAfter(handled));
            }
            if (due.isEmpty()) {
                schedule.moveTo(next.orElse(null));
                return;
            }
            Instant latest = due.get(due.size() - 1);
            Duration late = Duration.between(latest, now);
            boolean fires = late.compareTo(ON_TIME) <= 0
                    || schedule.misfire() == Misfire.RUN_ONCE && late.compareTo(schedule.startDeadline()) <= 0;
            List<Instant> missed = fires ? due.subList(0, due.size() - 1) : due;
            Job job = fires ? fireSlot(schedule, latest, now) : null;
            recordMissed(schedule, missed, job, now);
            schedule.moveTo(next.orElse(null));
        }));
    }

    /** Fires {@code slot}, or skips it when the previous job has not ended and overlap says skip; returns the job fired. */
    private Job fireSlot(Schedule schedule, Instant slot, Instant now) {
        // read locked when it may be cancelled: an end recorded meanwhile (another replica) then comes first
        Optional<Job> previous = schedule.lastFiredJob() == null ? Optional.empty()
                : unfinished(schedule.lastFiredJob(), schedule.overlap() == Overlap.CANCEL_PREVIOUS);
        if (previous.isPresent() && schedule.overlap() == Overlap.SKIP) {
            store.session().persist(new ScheduleSlot(schedule.name(), slot, ScheduleSlot.SKIPPED, null, now));
            schedule.skipped(slot);
            Job running = jobs.storedForChange(previous.get().getId());
            events.save(running.record(JobEventType.SCHEDULE_SKIPPED, "schedule " + schedule.name() + " skipped its slot "
                    + slot + ": this job had not ended", data(schedule, slot, running.getId(), null), now));
            return null;
        }
        Template template;
        JobSpec spec;
        try {
            template = templates.get(schedule.template(), null, true);
            spec = launcher.spec(template.definition(), template.version(),
                    new LaunchRequest(schedule.parameters(), null, null, null, null, null));
        } catch (TemplateNotFoundException | InvalidInputException e) {
            // the template changed under the schedule: its slots are skipped, and said why, until it is fixed
            return skip(schedule, slot, now, "its template does not launch with its parameters: " + e.getMessage());
        }
        Job job;
        try {
            // schedules are stored by admins, and fire with an admin's rights to inventories and credentials
            job = submitter.submitInTransaction(spec, new Actor(schedule.owner(), true), schedule.idempotencyKey(slot),
                    "launched by schedule " + schedule.name() + " for its slot " + slot + " (template " + template.name()
                            + " version " + template.version() + ")",
                    AuditActions.SCHEDULE_FIRE, "schedule " + schedule.name() + ", slot " + slot).job();
        } catch (InvalidInputException | IdempotencyConflictException e) {
            // refused before anything of it was written (an inventory deleted since, say): the
            // slot is skipped rather than retried at every pass
            return skip(schedule, slot, now, "its job was refused: " + e.getMessage());
        }
        if (previous.isPresent() && schedule.overlap() == Overlap.CANCEL_PREVIOUS) {
            cancel(previous.get(), schedule);
        }
        store.session().persist(new ScheduleSlot(schedule.name(), slot, ScheduleSlot.FIRED, job.getId(), now));
        schedule.fired(slot, job.getId());
        events.save(job.record(JobEventType.SCHEDULE_FIRED, "fired by schedule " + schedule.name() + " for its slot " + slot,
                data(schedule, slot, job.getId(), null), now));
        return job;
    }

    /**
     * Under {@code cancel-previous}, cancels the previous slot's job in the firing's transaction,
     * once the slot's job is stored: only a slot that fires cancels, and the two commit together.
     */
    private void cancel(Job previous, Schedule schedule) {
        canceller.cancelInTransaction(previous.getId(), "schedule:" + schedule.name(), job -> LogFiles.tail(
                job.getLogPath() == null ? null : Path.of(job.getLogPath()), config.outputTailBytes()));
    }

    private Job skip(Schedule schedule, Instant slot, Instant now, String why) {
        LOG.warnf("schedule %s skipped its slot %s: %s", schedule.name(), slot, why);
        store.session().persist(new ScheduleSlot(schedule.name(), slot, ScheduleSlot.SKIPPED, null, now));
        schedule.skipped(slot);
        return null;
    }

    /** Counts the missed slots on the schedule and reports them on the job fired now, or else on its latest job. */
    private void recordMissed(Schedule schedule, List<Instant> missed, Job fired, Instant now) {
        if (missed.isEmpty()) {
            return;
        }
        schedule.missed(missed.size(), missed.get(missed.size() - 1));
        Job carrier = fired != null ? fired
                : schedule.lastFiredJob() == null ? null : store.session().find(Job.class, schedule.lastFiredJob(),
                LockModeType.PESSIMISTIC_WRITE);
        if (carrier != null) {
            events.save(carrier.record(JobEventType.SCHEDULE_MISSED, "schedule " + schedule.name() + " missed "
                    + missed.size() + (missed.size() == 1 ? " slot" : " slots") + " up to " + schedule.lastMissedSlot(),
                    data(schedule, schedule.lastMissedSlot(), fired == null ? null : fired.getId(), missed), now));
        }
    }

    private Optional<Job> unfinished(String jobId, boolean locked) {
        Job job = store.session().find(Job.class, jobId, locked ? LockModeType.PESSIMISTIC_WRITE : LockModeType.NONE);
        return job == null || job.getStatus().isTerminal() ? Optional.empty() : Optional.of(job);
    }

    private static String data(Schedule schedule, Instant slot, String jobId, List<Instant> missed) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("schedule", schedule.name());
        data.put("slot", slot.toString());
        if (jobId != null) {
            data.put("jobId", jobId);
        }
        if (missed != null) {
            data.put("missed", missed.size());
            data.put("firstMissed", missed.get(0).toString());
        }
        return JsonColumns.write(data);
    }
}
