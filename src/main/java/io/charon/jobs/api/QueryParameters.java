package io.charon.jobs.api;

import io.charon.jobs.job.InstantRange;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.JobType;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/** Parses query parameters, answering a bad one with a 400 that names it. */
final class QueryParameters {

    private QueryParameters() {
    }

    static <T> T parse(String name, String value, String expected, Function<String, Optional<T>> parser) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return parser.apply(value).orElseThrow(() -> new InvalidInputException(name, "must be " + expected));
    }

    static JobType jobType(String name, String value) {
        return parse(name, value, "one of ansible, provisioning", JobType::fromWireName);
    }

    /** An instant within {@link InstantRange}: past it, a filter would overflow in the store and find nothing. */
    static Instant instant(String name, String value) {
        Instant instant = parse(name, value, "an ISO-8601 instant such as 2030-01-01T10:00:00Z", text -> {
            try {
                return Optional.of(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
        if (instant != null && !InstantRange.contains(instant)) {
            throw new InvalidInputException(name, "must be " + InstantRange.TEXT);
        }
        return instant;
    }

    static Duration duration(String name, String value) {
        return parse(name, value, "an ISO-8601 duration such as PT30S", text -> {
            try {
                Duration parsed = Duration.parse(text);
                return parsed.isNegative() ? Optional.empty() : Optional.of(parsed);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    static int integer(String name, String value, int defaultValue, int min, int max) {
        Integer parsed = parse(name, value, "a whole number from " + min + " to " + max, text -> {
            try {
                int number = Integer.parseInt(text);
                return number >= min && number <= max ? Optional.of(number) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
        return parsed == null ? defaultValue : parsed;
    }

    /** The value, or null when it is absent or empty. */
    static String optional(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
