package io.charon.jobs.support;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Tests run with security on. Every REST Assured request of a {@code @QuarkusTest} carries the
 * admin token of the {@code %test} profile unless it names an {@code Authorization} of its own;
 * {@link Api#anonymous()} sends none. Registered as a Quarkus test callback (META-INF/services).
 */
public final class DefaultToken implements Filter, QuarkusTestBeforeEachCallback {

    /** {@code %test.charon.security.admin-token}: the user {@code admin} with the admin role. */
    public static final String ADMIN = "test-admin-token-4f1c2d9e8b7a6053";
    public static final String HEADER = "Authorization";

    private static final DefaultToken FILTER = new DefaultToken();

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        synchronized (DefaultToken.class) {
            if (RestAssured.filters().stream().noneMatch(DefaultToken.class::isInstance)) {
                RestAssured.filters(FILTER);
            }
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                           FilterContext context) {
        if (!request.getHeaders().hasHeaderWithName(HEADER)) {
            request.header(HEADER, bearer(ADMIN));
        }
        return context.next(request, response);
    }
}
