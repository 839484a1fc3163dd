package io.charon.jobs.schedule;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A year of slots, walked as the firer walks them (each slot the first one after the previous),
 * against the list worked out with java.time alone: every five minutes, daily across both
 * daylight-saving changes of two zones, week days, and bounds.
 */
class SlotCalendarTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final LocalDate FIRST = LocalDate.of(2027, 1, 1);
    private static final LocalDate LAST = LocalDate.of(2027, 12, 31);

    /** Every slot from the start of 2027 in {@code zone} to its end, as the firer finds them. */
    private static List<Instant> year(String cron, ZoneId zone, Instant startAt, Instant endAt) {
        SlotCalendar calendar = new SlotCalendar(cron, zone, startAt, endAt);
        Instant end = LAST.plusDays(1).atStartOfDay(zone).toInstant();
        List<Instant> slots = new ArrayList<>();
        Optional<Instant> slot = calendar.next(FIRST.atStartOfDay(zone).toInstant().minusNanos(1));
        while (slot.isPresent() && slot.get().isBefore(end)) {
            slots.add(slot.get());
            slot = calendar.next(slot.get());
        }
        return slots;
    }

    /** {@code time} on every day of 2027 that {@code days} accepts, placed in {@code zone} as java.time places it. */
    private static List<Instant> daily(LocalTime time, ZoneId zone, List<DayOfWeek> days) {
        List<Instant> expected = new ArrayList<>();
        for (LocalDate day = FIRST; !day.isAfter(LAST); day = day.plusDays(1)) {
            if (days.contains(day.getDayOfWeek())) {
                expected.add(ZonedDateTime.of(day, time, zone).toInstant());
            }
        }
        return expected;
    }

    @Test
    void everyFiveMinutesForAYear() {
        List<Instant> expected = new ArrayList<>();
        for (Instant at = Instant.parse("2027-01-01T00:00:00Z"); at.isBefore(Instant.parse("2028-01-01T00:00:00Z"));
             at = at.plus(Duration.ofMinutes(5))) {
            expected.add(at);
        }
        assertThat(expected).hasSize(365 * 288);
        assertThat(year("*/5 * * * *", ZoneOffset.UTC, null, null)).isEqualTo(expected);
    }

    @Test
    void dailyAtMidnightAcrossBothDaylightSavingChanges() {
        List<Instant> paris = year("@daily", PARIS, null, null);
        assertThat(paris).hasSize(365).isEqualTo(daily(LocalTime.MIDNIGHT, PARIS, List.of(DayOfWeek.values())));
        assertThat(paris).contains(Instant.parse("2027-03-28T23:00:00Z").minus(Duration.ofDays(1)), // winter time
                Instant.parse("2027-03-28T22:00:00Z"), // the night after spring-forward: summer time
                Instant.parse("2027-10-30T22:00:00Z"), Instant.parse("2027-10-31T23:00:00Z"));
        List<Instant> newYork = year("@daily", NEW_YORK, null, null);
        assertThat(newYork).hasSize(365).isEqualTo(daily(LocalTime.MIDNIGHT, NEW_YORK, List.of(DayOfWeek.values())));
        assertThat(newYork).contains(Instant.parse("2027-03-14T05:00:00Z"), Instant.parse("2027-03-15T04:00:00Z"),
                Instant.parse("2027-11-07T04:00:00Z"), Instant.parse("2027-11-08T05:00:00Z"));
    }

    /** The documented rule: a wall-clock time fires once a day, at the end of a gap, at its first passing in an overlap. */
    @Test
    void aTimeTheClocksSkipOrPassTwiceFiresOnce() {
        List<Instant> slots = year("30 2 * * *", PARIS, null, null);
        assertThat(slots).hasSize(365);
        // spring-forward, 28 March: 02:30 does not exist; it fires when the gap ends, 03:00 summer time (01:00 UTC)
        assertThat(slots).filteredOn(at -> at.atZone(PARIS).toLocalDate().equals(LocalDate.of(2027, 3, 28)))
                .containsExactly(Instant.parse("2027-03-28T01:00:00Z"));
        // fall-back, 31 October: 02:30 comes twice; it fires at the first, 02:30 summer time (00:30 UTC)
        assertThat(slots).filteredOn(at -> at.atZone(PARIS).toLocalDate().equals(LocalDate.of(2027, 10, 31)))
                .containsExactly(Instant.parse("2027-10-31T00:30:00Z"));
        List<Instant> fiveMinutes = year("*/5 * * * *", PARIS, null, null);
        assertThat(fiveMinutes).isSorted().doesNotHaveDuplicates();
        // the repeated hour of fall-back fires once, the skipped hour of spring-forward not at all
        assertThat(fiveMinutes).hasSize(365 * 288 - 12);
    }

    /**
     * Times in the skipped hour of an expression that names several, or only them: each day of
     * the year has its slots, the spring-forward day one, when the gap ends. The day after has
     * all of its own: none is passed over for having followed the gap.
     */
    @Test
    void severalTimesInTheSkippedHourFireOnceWhenItEnds() {
        for (ZoneId zone : List.of(PARIS, NEW_YORK)) {
            LocalDate springForward = zone.equals(PARIS) ? LocalDate.of(2027, 3, 28) : LocalDate.of(2027, 3, 14);
            Instant gapEnd = zone.getRules().nextTransition(springForward.atStartOfDay(zone).toInstant()).getInstant();
            assertThat(gapEnd.atZone(zone).toLocalTime()).as("%s: the gap ends at 03:00", zone).isEqualTo(LocalTime.of(3, 0));

            List<Instant> daily = year("30 2 * * *", zone, null, null);
            assertThat(daily).as("%s, 30 2 * * *", zone).hasSize(365).isSorted().doesNotHaveDuplicates()
                    .filteredOn(at -> at.atZone(zone).toLocalDate().equals(springForward)).containsExactly(gapEnd);
            assertThat(daily).as("%s, 30 2 * * *, the day after", zone)
                    .contains(ZonedDateTime.of(springForward.plusDays(1), LocalTime.of(2, 30), zone).toInstant());

            List<Instant> thrice = year("*/20 2 * * *", zone, null, null);
            assertThat(thrice).as("%s, */20 2 * * *", zone).hasSize(364 * 3 + 1).isSorted().doesNotHaveDuplicates();
            assertThat(thrice).filteredOn(at -> at.atZone(zone).toLocalDate().equals(springForward))
                    .as("%s, */20 2 * * * on the spring-forward day", zone).containsExactly(gapEnd);
            assertThat(thrice).filteredOn(at -> at.atZone(zone).toLocalDate().equals(springForward.plusDays(1)))
                    .as("%s, */20 2 * * * the day after", zone).extracting(at -> at.atZone(zone).toLocalTime())
                    .containsExactly(LocalTime.of(2, 0), LocalTime.of(2, 20), LocalTime.of(2, 40));

            // the skipped times and a time after the gap: one slot at its end, then the rest of the hour
            List<Instant> around = year("40 2,3 * * *", zone, null, null);
            assertThat(around).as("%s, 40 2,3 * * *", zone).hasSize(365 * 2).isSorted().doesNotHaveDuplicates()
                    .filteredOn(at -> at.atZone(zone).toLocalDate().equals(springForward))
                    .containsExactly(gapEnd, gapEnd.plus(Duration.ofMinutes(40)));
        }
    }

    @Test
    void weekDaysAtNine() {
        List<DayOfWeek> weekDays = List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
                DayOfWeek.FRIDAY);
        List<Instant> expected = daily(LocalTime.of(9, 0), NEW_YORK, weekDays);
        assertThat(expected).hasSize(261);
        assertThat(year("0 9 * * 1-5", NEW_YORK, null, null)).isEqualTo(expected);
    }

    @Test
    void slotsStayWithinStartAtAndEndAt() {
        Instant startAt = Instant.parse("2027-06-01T10:30:00Z");
        Instant endAt = Instant.parse("2027-06-01T15:00:00Z");
        assertThat(year("@hourly", ZoneOffset.UTC, startAt, endAt)).containsExactly(
                Instant.parse("2027-06-01T11:00:00Z"), Instant.parse("2027-06-01T12:00:00Z"),
                Instant.parse("2027-06-01T13:00:00Z"), Instant.parse("2027-06-01T14:00:00Z"),
                Instant.parse("2027-06-01T15:00:00Z"));
        assertThat(year("0 11 * * *", ZoneOffset.UTC, Instant.parse("2027-06-01T11:00:00Z"), null))
                .startsWith(Instant.parse("2027-06-01T11:00:00Z")).hasSize(214);
    }

    @Test
    void nicknamesAndBadExpressions() {
        assertThat(year("@weekly", ZoneOffset.UTC, null, null)).hasSize(52)
                .allMatch(at -> at.atZone(ZoneOffset.UTC).getDayOfWeek() == DayOfWeek.SUNDAY);
        assertThat(year("@monthly", ZoneOffset.UTC, null, null)).hasSize(12);
        assertThat(year("@yearly", ZoneOffset.UTC, null, null)).containsExactly(Instant.parse("2027-01-01T00:00:00Z"));
        for (String bad : List.of("61 * * * *", "* * *", "@reboot", "0 0 * * * *", "", "every day")) {
            assertThatThrownBy(() -> SlotCalendar.parse(bad)).as(bad).isInstanceOf(SlotCalendar.InvalidCronException.class);
        }
    }
}
