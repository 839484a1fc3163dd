package io.charon.jobs.submission;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.JobSubmission;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads a job submission from raw JSON bytes, for the REST API and the intake channel alike.
 * Strict: unknown fields, wrong types and trailing garbage are errors that name the field.
 */
@ApplicationScoped
public class SubmissionParser {

    static final int MAX_DEPTH = 16;

    private final ObjectMapper mapper = JsonMapper.builder()
            // {"priority": "low", "priority": "critical"}: which one counts would be a guess
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    public SubmissionParser() {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
        // a number or boolean where text belongs is a mistake to report, not to convert
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }

    public JobSubmission parse(byte[] body) {
        return read(body, JobSubmission.class, "the job");
    }

    /**
     * Any request body of the API, as strictly as a submission.
     *
     * @param what what the object describes, for the message when the body is empty
     */
    public <T> T read(byte[] body, Class<T> type, String what) {
        if (body == null || body.length == 0) {
            throw new InvalidInputException("body", "a JSON object describing " + what + " is required");
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new InvalidInputException("body", "must be a JSON object, not null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidInputException(path(e), "is not a known field");
        } catch (JsonParseException e) {
            String duplicate = duplicateField(e);
            if (duplicate != null) {
                throw new InvalidInputException(duplicate, "appears more than once");
            }
            throw new InvalidInputException("body", "is not valid JSON: " + e.getOriginalMessage());
        } catch (JsonMappingException e) {
            String field = path(e);
            // inside a map the parser's error comes wrapped, with the map's path
            String duplicate = e.getCause() instanceof JsonParseException cause ? duplicateField(cause) : null;
            if (duplicate != null) {
                String name = duplicate.substring(duplicate.lastIndexOf('.') + 1);
                throw new InvalidInputException(field.isEmpty() || field.equals(name) || field.endsWith("." + name)
                        ? duplicate : field + "." + name,
                        "appears more than once");
            }
            throw new InvalidInputException(field.isEmpty() ? "body" : field,
                    field.isEmpty() ? "must be a JSON object" : "has the wrong type");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("body", "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException("body", "could not be read");
        }
    }

    /** The path of a field given twice in one object, as {@code variables.name}; null for any other parse error. */
    public static String duplicateField(JsonParseException e) {
        JsonParser parser = e.getProcessor();
        if (e.getOriginalMessage() == null || !e.getOriginalMessage().startsWith("Duplicate field") || parser == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (JsonStreamContext context = parser.getParsingContext(); context != null && !context.inRoot();
             context = context.getParent()) {
            String name = context.inArray() ? "[" + context.getCurrentIndex() + "]" : context.getCurrentName();
            if (name != null) {
                names.add(0, name);
            }
        }
        String repeated = e.getOriginalMessage().replaceFirst("^Duplicate field '(.*)'.*$", "$1");
        if (names.isEmpty() || !names.get(names.size() - 1).equals(repeated)) {
            names.add(repeated); // the context may not have moved to the repeated name yet
        }
        return String.join(".", names).replace(".[", "[");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
