package io.charon.jobs.schedule;

/** No schedule of that name. */
public class ScheduleNotFoundException extends RuntimeException {

    public ScheduleNotFoundException(String name) {
        super("no schedule named " + name);
    }
}
