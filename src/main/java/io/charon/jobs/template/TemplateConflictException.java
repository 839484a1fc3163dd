package io.charon.jobs.template;

/** Not possible in the template's present state: its name is taken, or a schedule launches it. */
public class TemplateConflictException extends RuntimeException {

    public TemplateConflictException(String message) {
        super(message);
    }
}
