package io.charon.jobs.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.InstantRange;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.StoredNames;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.store.ConstraintViolations;
import io.charon.jobs.store.RolledBackByConflict;
import io.charon.jobs.store.Store;
import io.charon.jobs.template.LaunchRequest;
import io.charon.jobs.template.Template;
import io.charon.jobs.template.TemplateLauncher;
import io.charon.jobs.template.TemplateNotFoundException;
import io.charon.jobs.template.Templates;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.LockModeType;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stored schedules: create, read, list, replace and delete them, audited. Admins manage them; a
 * schedule launches its template as the admin who last set it. Settings are checked as a launch
 * of the template would be, so that a schedule that is accepted can fire.
 */
@ApplicationScoped
public class Schedules {

    /** How long after its instant a missed slot may still run, unless the schedule says otherwise. */
    static final Duration DEFAULT_START_DEADLINE = Duration.ofMinutes(15);
    /** How many coming slots a schedule shows. */
    static final int NEXT_RUNS = 5;

    private final Store store;
    private final AuditTrail audit;
    private final Clock clock;
    private final Templates templates;
    private final TemplateLauncher launcher;

    public Schedules(Store store, AuditTrail audit, Clock clock, Templates templates, TemplateLauncher launcher) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.templates = templates;
        this.launcher = launcher;
    }

    /**
     * Creates the schedule; its first slot is the first one after now.
     *
     * @throws InvalidInputException with every error in the request
     * @throws ScheduleConflictException a schedule of that name exists
     */
    public Schedule create(ScheduleRequest request, String userId) {
        String name = request.name();
        ScheduleSettings settings = checked(request, name);
        Instant now = now();
        try {
            return RolledBackByConflict.retrying("a schedule's creation", () -> QuarkusTransaction.requiringNew().call(() -> {
                if (store.session().find(Schedule.class, name) != null) {
                    throw taken(name);
                }
                templates.lockForSchedule(settings.template()); // checked above, outside this transaction
                Schedule schedule = new Schedule(name, settings, userId, now);
                store.session().persist(schedule);
                audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.SCHEDULE_CREATE, name,
                        describe(schedule))));
                return schedule;
            }));
        } catch (RuntimeException e) {
            if (ConstraintViolations.causedBy(e)) {
                throw taken(name); // created by another request at the same moment
            }
            throw e;
        }
    }

    /**
     * Replaces the schedule's settings; its slots start again after now. What it fired, skipped
     * and missed stays recorded.
     *
     * @throws ScheduleNotFoundException none of that name
     */
    public Schedule update(String name, ScheduleRequest request, String userId) {
        ScheduleSettings settings = checked(request, name);
        Instant now = now();
        return RolledBackByConflict.retrying("a schedule's update", () -> QuarkusTransaction.requiringNew().call(() -> {
            Schedule schedule = locked(name);
            templates.lockForSchedule(settings.template());
            schedule.set(settings, userId, now);
            audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.SCHEDULE_UPDATE, name,
                    describe(schedule))));
            return schedule;
        }));
    }

    /** Deletes the schedule and the record of its slots; its jobs stay. */
    public void delete(String name, String userId) {
        RolledBackByConflict.retrying("a schedule's deletion", () -> QuarkusTransaction.requiringNew().run(() -> {
            Schedule schedule = locked(name);
            store.session().createMutationQuery("delete from ScheduleSlot where key.schedule = :name")
                    .setParameter("name", name).executeUpdate();
            store.session().remove(schedule);
            audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.SCHEDULE_DELETE, name, null)));
        }));
    }

    @ActivateRequestContext
    public Schedule get(String name) {
        Schedule schedule = store.session().find(Schedule.class, name);
        if (schedule == null) {
            throw new ScheduleNotFoundException(name);
        }
        return schedule;
    }

    @ActivateRequestContext
    public List<Schedule> list() {
        return store.session().createSelectionQuery("from Schedule order by name", Schedule.class).getResultList();
    }

    /** The next {@value #NEXT_RUNS} slots the schedule will handle, from now or its next slot if later. */
    public List<Instant> nextRuns(Schedule schedule) {
        List<Instant> runs = new ArrayList<>();
        if (!schedule.enabled() || schedule.nextSlot() == null) {
            return runs;
        }
        SlotCalendar calendar = schedule.calendar();
        Instant now = clock.instant();
        Optional<Instant> slot = schedule.nextSlot().isBefore(now) ? calendar.next(now.minusNanos(1))
                : Optional.of(schedule.nextSlot());
        while (slot.isPresent() && runs.size() < NEXT_RUNS) {
            runs.add(slot.get());
            slot = calendar.next(slot.get());
        }
        return runs;
    }

    private Schedule locked(String name) {
        Schedule schedule = store.session().find(Schedule.class, name, LockModeType.PESSIMISTIC_WRITE);
        if (schedule == null) {
            throw new ScheduleNotFoundException(name);
        }
        return schedule;
    }

    /** The settings of the request if they are sound, with every error otherwise. */
    private ScheduleSettings checked(ScheduleRequest request, String name) {
        if (request == null) {
            throw new InvalidInputException("body", "a JSON object describing the schedule is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (name == null || !StoredNames.NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", StoredNames.RULE));
        }
        Map<String, JsonNode> parameters = request.parameters() == null ? Map.of() : request.parameters();
        if (request.template() == null) {
            errors.add(new FieldError("template", "is required"));
        } else {
            try {
                Template template = templates.get(request.template(), null, true);
                // a schedule's parameters are stored and shown as given: no place for a secret
                template.definition().parameters().stream()
                        .filter(parameter -> parameter.isSecret() && parameters.containsKey(parameter.name()))
                        .forEach(parameter -> errors.add(new FieldError("parameters." + parameter.name(),
                                "is a secret parameter, which a schedule would keep readable: not accepted in schedules")));
                launcher.spec(template.definition(), template.version(), new LaunchRequest(parameters, null, null, null, null, null));
            } catch (TemplateNotFoundException e) {
                errors.add(new FieldError("template", e.getMessage()));
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        }
        ZoneId zone = ZoneOffset.UTC;
        if (request.timeZone() != null) {
            try {
                zone = SlotCalendar.zone(request.timeZone());
            } catch (SlotCalendar.InvalidCronException e) {
                errors.add(new FieldError("timeZone", e.getMessage()));
            }
        }
        try {
            SlotCalendar.parse(request.cron());
        } catch (SlotCalendar.InvalidCronException e) {
            errors.add(new FieldError("cron", e.getMessage()));
        }
        Instant startAt = instant(errors, "startAt", request.startAt());
        Instant endAt = instant(errors, "endAt", request.endAt());
        if (startAt != null && endAt != null && !endAt.isAfter(startAt)) {
            errors.add(new FieldError("endAt", "must be after startAt"));
        }
        Overlap overlap = request.overlap() == null ? Overlap.SKIP : Overlap.fromWireName(request.overlap()).orElse(null);
        if (overlap == null) {
            errors.add(new FieldError("overlap", "must be one of " + Overlap.WIRE_NAMES));
        }
        Misfire misfire = request.misfire() == null ? Misfire.RUN_ONCE : Misfire.fromWireName(request.misfire()).orElse(null);
        if (misfire == null) {
            errors.add(new FieldError("misfire", "must be one of " + Misfire.WIRE_NAMES));
        }
        Duration startDeadline = DEFAULT_START_DEADLINE;
        if (request.startDeadline() != null) {
            try {
                startDeadline = Duration.parse(request.startDeadline());
                if (startDeadline.toMillis() < 1 || startDeadline.compareTo(Duration.ofDays(365)) > 0) {
                    errors.add(new FieldError("startDeadline", "must be between PT0.001S and P365D"));
                }
            } catch (DateTimeException | ArithmeticException e) {
                errors.add(new FieldError("startDeadline", "must be an ISO-8601 duration such as PT15M"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new ScheduleSettings(request.template(), parameters, request.cron().strip(), zone, startAt, endAt,
                request.enabled() == null || request.enabled(), overlap, misfire, startDeadline);
    }

    private static Instant instant(List<FieldError> errors, String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            Instant value = OffsetDateTime.parse(text).toInstant();
            if (!InstantRange.contains(value)) {
                errors.add(new FieldError(field, "must be " + InstantRange.TEXT));
            }
            return value;
        } catch (DateTimeException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant such as 2030-01-01T10:00:00Z"));
            return null;
        }
    }

    private static String describe(Schedule schedule) {
        return "template " + schedule.template() + ", cron " + schedule.cron() + " in " + schedule.timeZone()
                + (schedule.enabled() ? "" : ", disabled") + ", overlap " + schedule.overlap().wireName()
                + ", misfire " + schedule.misfire().wireName();
    }

    private static ScheduleConflictException taken(String name) {
        return new ScheduleConflictException("a schedule named " + name + " exists already");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
