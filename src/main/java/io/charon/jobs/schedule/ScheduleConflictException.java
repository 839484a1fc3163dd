package io.charon.jobs.schedule;

/** Not possible in the schedule's present state: its name is taken. */
public class ScheduleConflictException extends RuntimeException {

    public ScheduleConflictException(String message) {
        super(message);
    }
}
