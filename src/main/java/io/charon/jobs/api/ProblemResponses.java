package io.charon.jobs.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Gives every operation of the API description the problem+json responses that the exception
 * mappers ({@link ProblemMappers}), the authentication ({@link BearerAuthentication}) and the HTTP
 * layer ({@link HttpProblems}) can send, so that endpoints added later are described alike:
 * {@code 400} when it takes query or header parameters or a body, {@code 401} and {@code 403} when
 * it needs a token, {@code 404} when its path names something, {@code 406} always (an Accept it
 * cannot answer), {@code 413} and {@code 415} when it takes a body, {@code 500} and {@code 503}
 * (the store is unavailable, or the service stops) always. The responses themselves are components of
 * {@code META-INF/openapi.yaml}. Runs once, at build time.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values().forEach(operation -> {
            if (takesInput(operation)) {
                describe(operation, "400", "BadRequest");
            }
            if (path.startsWith("/api/")) {
                describe(operation, "401", "Unauthorized");
                describe(operation, "403", "Forbidden");
            }
            if (path.contains("{")) {
                describe(operation, "404", "NotFound");
            }
            describe(operation, "406", "NotAcceptable");
            if (operation.getRequestBody() != null) {
                describe(operation, "413", "PayloadTooLarge");
                describe(operation, "415", "UnsupportedMediaType");
            }
            describe(operation, "500", "InternalError");
            describe(operation, "503", "ServiceUnavailable");
        }));
    }

    private static boolean takesInput(Operation operation) {
        return operation.getRequestBody() != null || (operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(p -> p.getIn() == Parameter.In.QUERY
                || p.getIn() == Parameter.In.HEADER));
    }

    private static void describe(Operation operation, String status, String component) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        APIResponse declared = responses.getAPIResponse(status);
        // a bare description (as the scanner adds for 400, 401 and 403) says nothing of the body: every error here is a problem
        if (declared == null || (declared.getRef() == null
                && (declared.getContent() == null || declared.getContent().getMediaTypes() == null
                || declared.getContent().getMediaTypes().isEmpty()))) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().ref(component));
        }
    }
}
