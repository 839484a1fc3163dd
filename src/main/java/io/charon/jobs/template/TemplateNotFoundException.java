package io.charon.jobs.template;

/** No template (or template version) of that name, or none the caller may launch: both answer alike. */
public class TemplateNotFoundException extends RuntimeException {

    public TemplateNotFoundException(String message) {
        super(message);
    }
}
