package io.charon.jobs.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.VariableNames;
import io.charon.jobs.persistence.JsonColumns;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules of template parameters: whether a template declares them soundly, and whether a
 * launch's values keep them. Values become job variables, which are text: an integer or number
 * in its plain decimal form, a boolean as {@code true}/{@code false}, a multichoice as a JSON
 * array of the choices picked.
 */
final class ParameterSchema {

    static final int MAX_PARAMETERS = 100;
    static final int MAX_CHOICES = 200;
    static final int MAX_DESCRIPTION = 4_000;

    /** A launch's values, the secret ones apart. */
    record Values(Map<String, String> variables, Map<String, String> secretVariables) {
    }

    private ParameterSchema() {
    }

    /** Every error in the declaration of {@code parameters}, each named {@code parameters[i].field}. */
    static List<FieldError> check(List<TemplateParameter> parameters) {
        List<FieldError> errors = new ArrayList<>();
        if (parameters.size() > MAX_PARAMETERS) {
            errors.add(new FieldError("parameters", "must hold at most " + MAX_PARAMETERS + " parameters"));
            return errors;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < parameters.size(); i++) {
            String at = "parameters[" + i + "]";
            TemplateParameter parameter = parameters.get(i);
            if (parameter == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            if (parameter.name() == null || !VariableNames.IDENTIFIER.matcher(parameter.name()).matches()) {
                errors.add(new FieldError(at + ".name", "must be a variable name (letters, digits, _)"));
            } else if (!names.add(parameter.name())) {
                errors.add(new FieldError(at + ".name", "names " + parameter.name() + " again"));
            }
            ParameterType type = parameter.type() == null ? null : ParameterType.fromWireName(parameter.type()).orElse(null);
            if (type == null) {
                errors.add(new FieldError(at + ".type", "must be one of " + ParameterType.WIRE_NAMES));
                continue;
            }
            checkRules(errors, at, parameter, type);
            if (parameter.description() != null && parameter.description().length() > MAX_DESCRIPTION) {
                errors.add(new FieldError(at + ".description", "must be at most " + MAX_DESCRIPTION + " characters"));
            }
            JsonNode fallback = parameter.defaultValue();
            if (fallback != null && !fallback.isNull()) {
                if (type == ParameterType.SECRET) {
                    errors.add(new FieldError(at + ".default", "a secret has no default: it would be stored in clear"));
                } else if (errors.stream().noneMatch(e -> e.field().startsWith(at + "."))) {
                    // checked as a launch's value would be, once the rules themselves are sound
                    value(errors, at + ".default", parameter, type, fallback);
                }
            }
        }
        return errors;
    }

    private static void checkRules(List<FieldError> errors, String at, TemplateParameter parameter, ParameterType type) {
        List<String> choices = parameter.choices();
        if (type.hasChoices()) {
            if (choices == null || choices.isEmpty()) {
                errors.add(new FieldError(at + ".choices", "must list at least one choice for a " + type.wireName()));
            } else if (choices.size() > MAX_CHOICES) {
                errors.add(new FieldError(at + ".choices", "must list at most " + MAX_CHOICES + " choices"));
            } else if (choices.contains(null) || new HashSet<>(choices).size() != choices.size()) {
                errors.add(new FieldError(at + ".choices", "must list each choice once, as text"));
            }
        } else if (choices != null) {
            errors.add(new FieldError(at + ".choices", "belongs to choice and multichoice parameters only"));
        }
        boolean bounded = type != ParameterType.BOOLEAN && type != ParameterType.CHOICE;
        for (String bound : List.of("min", "max")) {
            BigDecimal value = bound.equals("min") ? parameter.min() : parameter.max();
            if (value == null) {
                continue;
            }
            if (!bounded) {
                errors.add(new FieldError(at + "." + bound, "does not apply to a " + type.wireName()));
            } else if (!type.isNumeric() && (value.signum() < 0 || value.stripTrailingZeros().scale() > 0)) {
                errors.add(new FieldError(at + "." + bound, "counts " + (type.isText() ? "characters" : "choices")
                        + ": must be a whole number, 0 or more"));
            }
        }
        if (parameter.min() != null && parameter.max() != null && parameter.min().compareTo(parameter.max()) > 0) {
            errors.add(new FieldError(at + ".max", "must not be less than min"));
        }
        if (parameter.pattern() != null) {
            if (!type.isText()) {
                errors.add(new FieldError(at + ".pattern", "belongs to string and secret parameters only"));
            } else {
                try {
                    Pattern.compile(parameter.pattern());
                } catch (PatternSyntaxException e) {
                    errors.add(new FieldError(at + ".pattern", "is not a regular expression: " + e.getDescription()));
                }
            }
        }
    }

    /**
     * The variables a launch sets: each parameter's value, or its default; every error is added
     * to {@code errors}, named {@code parameters.<name>}: a value of the wrong type or out of
     * bounds, a required parameter missing, a value for no parameter.
     */
    static Values values(List<TemplateParameter> parameters, Map<String, JsonNode> given, List<FieldError> errors) {
        Map<String, String> variables = new LinkedHashMap<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        Set<String> declared = new HashSet<>();
        for (TemplateParameter parameter : parameters) {
            declared.add(parameter.name());
            String at = "parameters." + parameter.name();
            JsonNode value = given.get(parameter.name());
            if (value == null || value.isNull()) {
                value = parameter.defaultValue();
            }
            if (value == null || value.isNull()) {
                if (parameter.isRequired()) {
                    errors.add(new FieldError(at, "is required"));
                }
                continue;
            }
            ParameterType type = ParameterType.fromWireName(parameter.type()).orElseThrow();
            String text = value(errors, at, parameter, type, value);
            if (text != null) {
                (type == ParameterType.SECRET ? secrets : variables).put(parameter.name(), text);
            }
        }
        new TreeSet<>(given.keySet()).stream().filter(name -> !declared.contains(name)).forEach(name ->
                errors.add(new FieldError("parameters." + name, "is not a parameter of this template")));
        return new Values(variables, secrets);
    }

    /** The value as a variable's text, or null with an error added when it breaks the parameter's rules. */
    private static String value(List<FieldError> errors, String at, TemplateParameter parameter, ParameterType type,
                                JsonNode value) {
        int before = errors.size();
        String text = switch (type) {
            case STRING, SECRET -> value.isTextual() ? text(errors, at, parameter, value.textValue()) : null;
            case INTEGER -> value.isIntegralNumber() ? number(errors, at, parameter, new BigDecimal(value.bigIntegerValue())) : null;
            // a double beyond its range (1e400) is infinite, which has no decimal value
            case NUMBER -> value.isNumber() && Double.isFinite(value.doubleValue())
                    ? number(errors, at, parameter, value.decimalValue()) : null;
            case BOOLEAN -> value.isBoolean() ? String.valueOf(value.booleanValue()) : null;
            case CHOICE -> value.isTextual() ? choice(errors, at, parameter, value.textValue()) : null;
            case MULTICHOICE -> value.isArray() ? choices(errors, at, parameter, value) : null;
        };
        if (text == null && errors.size() == before) {
            errors.add(new FieldError(at, "must be " + expected(type)));
        }
        return errors.size() == before ? text : null;
    }

    private static String expected(ParameterType type) {
        return switch (type) {
            case STRING, SECRET, CHOICE -> "a string";
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case MULTICHOICE -> "an array of strings";
        };
    }

    private static String text(List<FieldError> errors, String at, TemplateParameter parameter, String value) {
        int length = value.codePointCount(0, value.length());
        if (outOf(parameter, BigDecimal.valueOf(length))) {
            errors.add(new FieldError(at, "must be " + bounds(parameter) + " characters long"));
        } else if (parameter.pattern() != null && !Pattern.compile(parameter.pattern()).matcher(value).matches()) {
            // the value itself is never quoted: it may be a secret
            errors.add(new FieldError(at, "must match the pattern " + parameter.pattern()));
        }
        return value;
    }

    private static String number(List<FieldError> errors, String at, TemplateParameter parameter, BigDecimal value) {
        if (outOf(parameter, value)) {
            errors.add(new FieldError(at, "must be " + bounds(parameter)));
        }
        return value.stripTrailingZeros().scale() <= 0 ? value.toBigInteger().toString() : value.stripTrailingZeros().toPlainString();
    }

    private static String choice(List<FieldError> errors, String at, TemplateParameter parameter, String value) {
        if (!parameter.choices().contains(value)) {
            errors.add(new FieldError(at, "must be one of " + String.join(", ", parameter.choices())));
        }
        return value;
    }

    private static String choices(List<FieldError> errors, String at, TemplateParameter parameter, JsonNode values) {
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            JsonNode value = values.get(i);
            if (!value.isTextual() || !parameter.choices().contains(value.textValue())) {
                errors.add(new FieldError(at + "[" + i + "]", "must be one of " + String.join(", ", parameter.choices())));
            } else if (picked.contains(value.textValue())) {
                errors.add(new FieldError(at + "[" + i + "]", "picks " + value.textValue() + " again"));
            } else {
                picked.add(value.textValue());
            }
        }
        if (outOf(parameter, BigDecimal.valueOf(values.size()))) {
            errors.add(new FieldError(at, "must pick " + bounds(parameter) + " choices"));
        }
        return JsonColumns.write(picked);
    }

    private static boolean outOf(TemplateParameter parameter, BigDecimal value) {
        return parameter.min() != null && value.compareTo(parameter.min()) < 0
                || parameter.max() != null && value.compareTo(parameter.max()) > 0;
    }

    private static String bounds(TemplateParameter parameter) {
        if (parameter.min() != null && parameter.max() != null) {
            return "between " + parameter.min().toPlainString() + " and " + parameter.max().toPlainString();
        }
        return parameter.min() != null ? "at least " + parameter.min().toPlainString()
                : "at most " + parameter.max().toPlainString();
    }
}
