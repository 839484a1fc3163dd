package io.charon.jobs.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * /q/openapi describes every endpoint: the JAX-RS resource methods of {@code io.charon.jobs.api}
 * are found by reflection, so endpoints added later are checked too, each with its error shape.
 */
@QuarkusTest
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
                    .isEqualTo("#/components/responses/StoreUnavailable");
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

        given().get("/q/swagger-ui/").then().statusCode(200);
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
