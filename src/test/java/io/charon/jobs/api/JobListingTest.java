package io.charon.jobs.api;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class JobListingTest {

    @Test
    void listingPagesNewestFirstWithAKeysetCursorAndFilters() {
        String tag = "batch-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Map<String, Object> body = Api.job("listed-" + i, "hello.yml");
            body.put("tags", List.of(tag, "listing"));
            body.put("priority", i == 0 ? "high" : "low");
            body.put("type", i == 1 ? "provisioning" : "ansible");
            ids.add(Api.submit(body));
        }
        List<String> newestFirst = new ArrayList<>(ids);
        Collections.reverse(newestFirst);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("tag", tag).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/jobs").then().statusCode(200).extract().jsonPath();
            List<String> pageIds = page.getList("items.id");
            assertThat(pageIds).as("page %d of the tag listing, cursor %s, after %s", pages + 1, cursor, seen)
                    .isNotEmpty();
            seen.addAll(pageIds);
            assertThat(page.getList("items.output")).containsOnlyNulls();
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        assertThat(pages).isEqualTo(3);

        assertThat(given().queryParam("tag", tag).queryParam("priority", "high").get("/api/v1/jobs")
                .then().statusCode(200).extract().jsonPath().getList("items.id")).containsExactly(ids.get(0));
        assertThat(given().queryParam("tag", tag).queryParam("type", "provisioning").get("/api/v1/jobs")
                .then().statusCode(200).extract().jsonPath().getList("items.id")).containsExactly(ids.get(1));
        assertThat(given().queryParam("tag", tag).queryParam("userId", "someone-else").get("/api/v1/jobs")
                .then().statusCode(200).extract().jsonPath().getList("items")).isEmpty();

        // without a tag the jobs' own indexes serve the page
        String first = Api.get(ids.get(0)).getString("createdAt");
        assertThat(given().queryParam("type", "provisioning").queryParam("createdAfter", first)
                .queryParam("createdBefore", Api.get(ids.get(2)).getString("createdAt")).get("/api/v1/jobs")
                .then().statusCode(200).extract().jsonPath().getList("items.id")).containsExactly(ids.get(1));

        ids.forEach(Api::awaitTerminal);
        assertThat(given().queryParam("tag", tag).queryParam("status", "completed").queryParam("status", "failed")
                .get("/api/v1/jobs").then().statusCode(200).extract().jsonPath().getList("items.id")).hasSize(5);
        assertThat(given().queryParam("tag", tag).queryParam("status", "queued")
                .get("/api/v1/jobs").then().statusCode(200).extract().jsonPath().getList("items.id")).isEmpty();
        String created = Api.get(ids.get(2)).getString("createdAt");
        assertThat(given().queryParam("tag", tag).queryParam("createdAfter", created).get("/api/v1/jobs")
                .then().statusCode(200).extract().jsonPath().getList("items.id"))
                .containsExactly(ids.get(4), ids.get(3), ids.get(2));
        assertThat(given().queryParam("tag", tag).queryParam("createdBefore", created).get("/api/v1/jobs")
                .then().statusCode(200).extract().jsonPath().getList("items.id"))
                .containsExactly(ids.get(1), ids.get(0));
    }
}
