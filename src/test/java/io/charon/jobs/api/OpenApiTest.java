package io.charon.jobs.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * /q/openapi describes every endpoint: the JAX-RS resource methods of {@code io.charon.jobs.api}
 * are found by reflection, so endpoints added later are checked too, each with its error shape.
 */
@QuarkusTest
@Tag("store-independent") // reads the API description, never the store
class OpenApiTest {

    /** An endpoint as JAX-RS declares it: method and full path template. */
    record Endpoint(String method, String path) {
    }

    @Test
    void everyResourceMethodIsDescribedWithItsProblemResponses() throws Exception {
        List<Endpoint> endpoints = endpoints();
        assertThat(endpoints).as("resource methods found").hasSizeGreaterThanOrEqualTo(11)
                .contains(new Endpoint("post", "/api/v1/jobs"), new Endpoint("get", "/api/v1/stats"));
        JsonPath openapi = openapi();
        Map<String, Map<String, Object>> paths = openapi.getMap("paths");

        for (Endpoint endpoint : endpoints) {
            assertThat(paths).as("paths").containsKey(endpoint.path());
            assertThat(paths.get(endpoint.path())).as(endpoint.toString()).containsKey(endpoint.method());
            String operation = "paths['" + endpoint.path() + "']." + endpoint.method();
            assertThat(openapi.getString(operation + ".summary")).as(endpoint + " summary").isNotBlank();
            assertThat(openapi.getString(operation + ".responses['500']['$ref']"))
                    .isEqualTo("#/components/responses/InternalError");
            assertThat(openapi.getString(operation + ".responses['503']['$ref']"))
                    .isEqualTo("#/components/responses/ServiceUnavailable");
        }
    }

    @Test
    void schemasErrorsAndExamplesAreDescribed() {
        JsonPath openapi = openapi();

        assertThat(openapi.getMap("components.schemas")).containsKeys("JobView", "JobPageView", "EventView", "StatsView",
                "WorkersView", "JobSubmission", "Problem", "FieldError");
        assertThat(openapi.getList("components.schemas.Problem.required")).contains("type", "title", "status", "detail");
        assertThat(openapi.getString("components.responses.BadRequest.content['application/problem+json'].schema['$ref']"))
                .isEqualTo("#/components/schemas/Problem");
        assertThat(openapi.getString("components.responses.BadRequest.content['application/problem+json'].example.errors[0].field"))
                .isEqualTo("inventory");

        String submit = "paths['/api/v1/jobs'].post";
        assertThat(openapi.getString(submit + ".requestBody.content['application/json'].schema['$ref']"))
                .isEqualTo("#/components/schemas/JobSubmission");
        assertThat(openapi.getString(submit + ".requestBody.content['application/json'].examples.hello.value"))
                .contains("hello.yml");
        assertThat(openapi.getString(submit + ".responses['201'].content['application/json'].schema['$ref']"))
                .isEqualTo("#/components/schemas/JobView");
        assertThat(openapi.getString(submit + ".responses['400']['$ref']")).isEqualTo("#/components/responses/BadRequest");
        assertThat(openapi.getString("paths['/api/v1/jobs/{id}'].get.responses['404']['$ref']"))
                .isEqualTo("#/components/responses/NotFound");
        assertThat(openapi.getString("paths['/api/v1/jobs/{id}/relaunch'].post.responses['409']['$ref']"))
                .isEqualTo("#/components/responses/Conflict");
        assertThat(openapi.getString("paths['/api/v1/stats'].get.responses['200'].content['application/json'].schema['$ref']"))
                .isEqualTo("#/components/schemas/StatsView");

        String credentials = "paths['/api/v1/credentials'].post";
        assertThat(openapi.getString(credentials + ".requestBody.content['application/json'].schema['$ref']"))
                .isEqualTo("#/components/schemas/CredentialRequest");
        assertThat(openapi.getBoolean("components.schemas.CredentialRequest.properties.privateKey.writeOnly")).isTrue();
        assertThat(openapi.getMap("components.schemas.CredentialView.properties"))
                .doesNotContainKeys("privateKey", "passphrase", "password");
        assertThat(openapi.getString("paths['/api/v1/credentials/{name}'].delete.responses['409']['$ref']"))
                .isEqualTo("#/components/responses/Conflict");
        String inventories = "paths['/api/v1/inventories']";
        assertThat(openapi.getString(inventories + ".post.requestBody.content['application/json'].schema['$ref']"))
                .isEqualTo("#/components/schemas/InventoryRequest");
        assertThat(openapi.getList("components.schemas.InventoryRequest.properties.hostKeyPolicy.enum"))
                .containsExactly("strict", "accept-new", "off");
        assertThat(openapi.getString("paths['/api/v1/inventories/{name}'].delete.responses['409']['$ref']"))
                .isEqualTo("#/components/responses/Conflict");
        assertThat(openapi.getString("paths['/api/v1/inventories/{name}'].put.responses['404']['$ref']"))
                .isEqualTo("#/components/responses/NotFound");

        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    /** Every instant and duration the API accepts says its range where it is described. */
    @Test
    void theRangesOfInstantsDurationsAndHostsAreDescribed() {
        JsonPath openapi = openapi();
        String submission = "components.schemas.JobSubmission.properties.";
        assertThat(openapi.getString(submission + "scheduledAt.description")).contains("9999-12-31T23:59:59Z");
        assertThat(openapi.getString(submission + "timeout.description")).contains("PT0.001S", "max-timeout");
        assertThat(openapi.getString(submission + "retryDelay.description")).contains("PT0S", "max-retry-delay");
        assertThat(openapi.getString(submission + "inventory.description")).contains("ranges", "1000");
        assertThat(openapi.getString("paths['/api/v1/tokens'].post.requestBody.content['application/json'].schema['$ref']"))
                .isEqualTo("#/components/schemas/TokenRequest");
        assertThat(openapi.getString("components.schemas.TokenRequest.properties.expiresAt.description"))
                .contains("9999-12-31T23:59:59Z");
        for (String path : List.of("/api/v1/jobs", "/api/v1/stats")) {
            List<Map<String, Object>> parameters = openapi.getList("paths['" + path + "'].get.parameters");
            assertThat(parameters).filteredOn(p -> String.valueOf(p.get("name")).startsWith("created")).hasSize(2)
                    .allSatisfy(p -> assertThat(String.valueOf(p.get("description"))).contains("9999-12-31T23:59:59Z"));
        }
        assertThat(openapi.getList("paths['/api/v1/jobs/{id}/wait'].get.parameters.description").toString())
                .contains("max-wait");
    }

    /**
     * What client generators and linters need: swagger-parser reads the document without a
     * message, every operation has its own operationId, the security scheme is the bearer token
     * the service takes, servers are named, every error response is a problem, and no schema is
     * a framework type (an SSE stream is text).
     */
    @Test
    void theDocumentIsValidForClientGenerators() {
        String document = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document, null, options);
        assertThat(parsed.getMessages()).as("swagger-parser's messages").isEmpty();
        OpenAPI api = parsed.getOpenAPI();

        assertThat(api.getServers()).isNotEmpty();
        SecurityScheme scheme = api.getComponents().getSecuritySchemes().get("bearerToken");
        assertThat(scheme).as("the bearer token scheme").isNotNull();
        assertThat(scheme.getType()).isEqualTo(SecurityScheme.Type.HTTP);
        assertThat(scheme.getScheme()).isEqualTo("bearer");
        assertThat(api.getComponents().getSecuritySchemes()).containsOnlyKeys("bearerToken");
        assertThat(api.getComponents().getSchemas()).doesNotContainKeys("OutboundSseEvent", "MediaType", "Response",
                "Multi", "Uni", "RestMulti");

        Set<String> operationIds = new HashSet<>();
        int operations = 0;
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, io.swagger.v3.oas.models.Operation> entry
                    : path.getValue().readOperationsMap().entrySet()) {
                io.swagger.v3.oas.models.Operation operation = entry.getValue();
                String name = entry.getKey() + " " + path.getKey();
                operations++;
                assertThat(operation.getOperationId()).as(name + " operationId").isNotBlank();
                assertThat(operationIds.add(operation.getOperationId())).as(name + " operationId unique").isTrue();
                assertThat(operation.getSecurity()).as(name + " security").isNotEmpty()
                        .allSatisfy(requirement -> assertThat(requirement).containsOnlyKeys("bearerToken"));
                assertThat(operation.getResponses()).as(name).containsKeys("401", "403", "406", "500");
                operation.getResponses().forEach((status, response) -> {
                    ApiResponse resolved = resolve(api, response);
                    if (status.equals("204")) {
                        // No Content: the one answer without a body
                        assertThat(resolved.getContent()).as(name + " " + status + " content").isNullOrEmpty();
                        return;
                    }
                    assertThat(resolved.getContent()).as(name + " " + status + " content").isNotEmpty();
                    if (status.startsWith("4") || status.startsWith("5")) {
                        assertThat(resolved.getContent()).as(name + " " + status).containsOnlyKeys("application/problem+json");
                        assertThat(resolved.getContent().get("application/problem+json").getSchema().get$ref())
                                .isEqualTo("#/components/schemas/Problem");
                    }
                });
                if (operation.getRequestBody() != null) {
                    assertThat(operation.getRequestBody().getContent()).as(name + " body").containsOnlyKeys("application/json");
                    assertThat(operation.getResponses()).as(name).containsKeys("400", "413", "415");
                }
            }
        }
        assertThat(operations).isEqualTo(endpointCount());
        String tokens = "paths['/api/v1/tokens'].post";
        JsonPath openapi = JsonPath.from(document);
        assertThat(openapi.getString(tokens + ".requestBody.content['application/json'].schema['$ref']"))
                .isEqualTo("#/components/schemas/TokenRequest");
        assertThat(openapi.getString(tokens + ".responses['201'].content['application/json'].schema['$ref']"))
                .isEqualTo("#/components/schemas/CreatedToken");
        assertThat(openapi.getMap(tokens + ".responses")).doesNotContainKey("200");
        assertThat(openapi.getString("paths['/api/v1/events'].get.responses['200'].content['text/event-stream'].schema.type"))
                .isEqualTo("string");
    }

    private static int endpointCount() {
        try {
            return endpoints().size();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiResponse resolve(OpenAPI api, ApiResponse response) {
        if (response.get$ref() == null) {
            return response;
        }
        String name = response.get$ref().substring(response.get$ref().lastIndexOf('/') + 1);
        ApiResponse component = api.getComponents().getResponses().get(name);
        assertThat(component).as(response.get$ref()).isNotNull();
        return component;
    }

    private static JsonPath openapi() {
        return given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
    }

    /** Every HTTP method of every {@code @Path} class in this package, as compiled. */
    static List<Endpoint> endpoints() throws IOException, ClassNotFoundException {
        java.nio.file.Path classes = java.nio.file.Path.of("target/classes", OpenApiTest.class.getPackageName().split("\\."));
        List<Endpoint> endpoints = new ArrayList<>();
        try (Stream<java.nio.file.Path> files = Files.list(classes)) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = OpenApiTest.class.getPackageName() + "."
                        + file.getFileName().toString().replaceFirst("\\.class$", "");
                Class<?> type = Class.forName(name, false, Thread.currentThread().getContextClassLoader());
                Path root = type.getAnnotation(Path.class);
                if (root == null) {
                    continue;
                }
                for (Method method : type.getMethods()) {
                    String http = httpMethod(method);
                    if (http != null) {
                        Path sub = method.getAnnotation(Path.class);
                        endpoints.add(new Endpoint(http.toLowerCase(Locale.ROOT),
                                template(root.value() + (sub == null ? "" : "/" + sub.value()))));
                    }
                }
            }
        }
        return endpoints;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    /** A JAX-RS path as OpenAPI writes it: single slashes, no trailing one, no regular expressions in parameters. */
    private static String template(String path) {
        String clean = ("/" + path).replaceAll("/+", "/").replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}");
        return clean.length() > 1 && clean.endsWith("/") ? clean.substring(0, clean.length() - 1) : clean;
    }
}
