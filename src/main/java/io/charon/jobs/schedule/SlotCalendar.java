package io.charon.jobs.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The slots of a schedule: the instants its cron expression names in its time zone, within its
 * bounds. cron-utils parses the expression (5 fields, or {@code @hourly}, {@code @daily},
 * {@code @weekly}, {@code @monthly}, {@code @yearly}) and finds the matching wall-clock times;
 * this class turns them into instants, with one rule for daylight-saving changes: a wall-clock
 * time fires once. A time the clocks skip (02:30 on a spring-forward night in Europe/Paris) fires
 * at the first instant after the gap (03:00 summer time), as cron does; several such times
 * (02:00, 02:20, 02:40) are one slot there, as they fall on one instant. A time the clocks pass
 * twice (02:30 on a fall-back night) fires at its first passing (02:30 summer time).
 *
 * <p>So the instants never go back as the wall-clock times go forward, and the slot after an
 * instant is the first wall-clock time from that instant's on whose instant is later: no time in
 * a gap is passed over. (Moving each skipped time by the gap's length instead, 02:20 to 03:20,
 * puts it behind the wall-clock time the next slot is searched from once 02:00 fired at 03:00.)
 */
final class SlotCalendar {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** The nicknames, as the 5-field expressions they stand for. */
    private static final Map<String, String> NICKNAMES = Map.of("@hourly", "0 * * * *", "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *", "@weekly", "0 0 * * 0", "@monthly", "0 0 1 * *", "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *");

    private final ExecutionTime times;
    private final ZoneId zone;
    private final Instant startAt;
    private final Instant endAt;

    /** Thrown for an expression cron-utils cannot parse, with its reason. */
    static final class InvalidCronException extends RuntimeException {
        InvalidCronException(String message) {
            super(message);
        }
    }

    /**
     * @param startAt the first instant a slot may fall on, or null
     * @param endAt   the last instant a slot may fall on, or null
     * @throws InvalidCronException the expression is not a 5-field cron expression or nickname
     */
    SlotCalendar(String cron, ZoneId zone, Instant startAt, Instant endAt) {
        this.times = ExecutionTime.forCron(parse(cron));
        this.zone = zone;
        this.startAt = startAt;
        this.endAt = endAt;
    }

    static Cron parse(String cron) {
        if (cron == null || cron.isBlank()) {
            throw new InvalidCronException("is required");
        }
        String expression = NICKNAMES.getOrDefault(cron.strip().toLowerCase(Locale.ROOT), cron.strip());
        if (expression.startsWith("@")) {
            throw new InvalidCronException("must be 5 fields or one of " + String.join(", ", NICKNAMES.keySet().stream().sorted().toList()));
        }
        try {
            return PARSER.parse(expression).validate();
        } catch (IllegalArgumentException e) {
            throw new InvalidCronException("is not a 5-field cron expression (minute hour day-of-month month"
                    + " day-of-week): " + e.getMessage());
        }
    }

    /** The first slot strictly after {@code after} (and not before the start), or empty when none is left. */
    Optional<Instant> next(Instant after) {
        Instant from = startAt != null && startAt.isAfter(after) ? startAt.minusNanos(1) : after;
        // wall-clock times are searched on a zone without daylight-saving changes, then placed in the real one
        LocalDateTime local = LocalDateTime.ofInstant(from, zone);
        for (int guard = 0; guard < 1_000; guard++) {
            Optional<ZonedDateTime> match = times.nextExecution(local.atZone(ZoneOffset.UTC));
            if (match.isEmpty()) {
                return Optional.empty();
            }
            local = match.get().toLocalDateTime();
            Instant slot = instant(local);
            if (endAt != null && slot.isAfter(endAt)) {
                return Optional.empty();
            }
            if (slot.isAfter(from)) {
                return Optional.of(slot);
            }
            // a time in a gap whose instant, the gap's end, was the slot before; or the second
            // passing of a time the clocks went back over: it fired at its first
        }
        return Optional.empty();
    }

    /** The instant a wall-clock time fires at: the end of the gap it falls in, or else its first passing. */
    private Instant instant(LocalDateTime local) {
        ZoneOffsetTransition change = zone.getRules().getTransition(local);
        if (change != null && change.isGap()) {
            return change.getInstant();
        }
        return ZonedDateTime.ofLocal(local, zone, null).toInstant(); // in an overlap, the earlier offset
    }

    /** Whether {@code text} names a time zone; the zone when it does. */
    static ZoneId zone(String text) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new InvalidCronException("must be an IANA time zone such as Europe/Paris or UTC");
        }
    }
}
