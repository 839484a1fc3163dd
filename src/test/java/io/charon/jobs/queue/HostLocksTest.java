package io.charon.jobs.queue;

import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreReads;
import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.Processes;
import io.restassured.http.ContentType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Host locks through the API, with the real ansible-playbook holding its hosts until a gate opens. */
@QuarkusTest
class HostLocksTest {

    @Inject
    Store store;

    /** Host names of this test alone: no other test's job holds them. */
    private static List<String> hosts(String... names) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return java.util.Arrays.stream(names).map(name -> name + "-" + run).toList();
    }

    private static Map<String, Object> holding(Gate gate, String name, List<String> hosts) {
        Map<String, Object> body = Api.job(name, "gate-hosts.yml");
        body.put("variables", Map.of("gate", gate.file().toString()));
        body.put("inventory", hosts);
        return body;
    }

    private static Instant at(JsonPath job, String field) {
        return Instant.parse(job.getString(field));
    }

    /** Waits until the claim has passed the job over for its hosts and said so. */
    private static JsonPath awaitBlocked(String id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> Api.events(id).stream()
                .anyMatch(event -> "job.blocked".equals(event.get("type"))));
        return Api.get(id);
    }

    @Test
    void exclusiveJobsOnOverlappingHostsNeverOverlapWhileOthersRunBeside() {
        List<String> h = hosts("web1", "web2", "web3", "db1");
        String first;
        String second;
        String beside;
        try (Gate gate = new Gate()) {
            first = Api.submit(holding(gate, "first", List.of(h.get(0), h.get(1))));
            Api.awaitStatus(first, "running");
            second = Api.submit(holding(gate, "second", List.of(h.get(1), h.get(2))));
            beside = Api.submit(holding(gate, "beside", List.of(h.get(3))));

            Api.awaitStatus(beside, "running");
            JsonPath waiting = awaitBlocked(second);
            assertThat(waiting.getString("status")).isEqualTo("queued");
            assertThat(waiting.getList("blockedBy.jobId")).containsExactly(first);
            assertThat(waiting.getList("blockedBy[0].hosts")).containsExactly(h.get(1));
            assertThat(Api.get(first).getString("status")).isEqualTo("running");
        }
        JsonPath one = Api.awaitTerminal(first);
        JsonPath two = Api.awaitTerminal(second);
        assertThat(Api.awaitTerminal(beside).getString("status")).isEqualTo("completed");
        assertThat(List.of(one.getString("status"), two.getString("status"))).containsOnly("completed");
        assertThat(at(two, "startedAt")).isAfterOrEqualTo(at(one, "completedAt"));
        assertThat(two.getList("blockedBy")).isNull();
        // reported once, however many passes found it waiting
        assertThat(Api.events(second)).filteredOn(event -> "job.blocked".equals(event.get("type"))).hasSize(1)
                .first().satisfies(event -> assertThat(event.get("message").toString()).endsWith(": " + h.get(1)));
    }

    @Test
    void sharedJobsRunTogetherButNeverBesideAnExclusiveOne() {
        List<String> h = hosts("shared");
        String exclusive;
        String readerA;
        String readerB;
        String free;
        try (Gate gate = new Gate()) {
            Map<String, Object> a = holding(gate, "reader-a", h);
            a.put("hostLock", "shared");
            Map<String, Object> b = holding(gate, "reader-b", h);
            b.put("hostLock", "shared");
            readerA = Api.submit(a);
            readerB = Api.submit(b);
            Api.awaitStatus(readerA, "running");
            Api.awaitStatus(readerB, "running");
            exclusive = Api.submit(holding(gate, "writer", h));
            Map<String, Object> none = holding(gate, "ignores-locks", h);
            none.put("hostLock", "none");
            free = Api.submit(none);

            Api.awaitStatus(free, "running");
            assertThat(awaitBlocked(exclusive).getList("blockedBy.jobId")).containsExactlyInAnyOrder(readerA, readerB);
        }
        JsonPath writer = Api.awaitTerminal(exclusive);
        assertThat(writer.getString("status")).isEqualTo("completed");
        assertThat(writer.getString("hostLock")).isEqualTo("exclusive");
        for (String reader : List.of(readerA, readerB)) {
            assertThat(at(writer, "startedAt")).isAfterOrEqualTo(at(Api.awaitTerminal(reader), "completedAt"));
        }
        assertThat(Api.awaitTerminal(free).getString("hostLock")).isEqualTo("none");
    }

    @Test
    void theHigherPriorityJobWaitingForAHostStartsFirst() {
        List<String> h = hosts("contended");
        String holder;
        String low;
        String high;
        try (Gate gate = new Gate()) {
            holder = Api.submit(holding(gate, "holder", h));
            Api.awaitStatus(holder, "running");
            Map<String, Object> lowBody = holding(gate, "low", h);
            lowBody.put("priority", "low");
            low = Api.submit(lowBody);
            Map<String, Object> highBody = holding(gate, "high", h);
            highBody.put("priority", "critical");
            high = Api.submit(highBody);
            awaitBlocked(low);
            awaitBlocked(high);
        }
        JsonPath first = Api.awaitTerminal(high);
        JsonPath second = Api.awaitTerminal(low);
        assertThat(at(first, "startedAt")).isAfterOrEqualTo(at(Api.get(holder), "completedAt"));
        assertThat(at(second, "startedAt")).isAfterOrEqualTo(at(first, "completedAt"));
    }

    /** The hosts a queued job is set aside for: while any, the claim's walk passes it by. */
    private List<String> setAsideFor(String id) throws SQLException {
        List<String> hosts = new ArrayList<>();
        StoreReads.forEachRow(store.dataSource(), """
                SELECT w.host FROM jobs j JOIN host_waits w ON w.job_id = j.id
                WHERE j.id = ? AND j.waiting_for_host ORDER BY w.host""", List.of(id), row -> hosts.add(row.getString(1)));
        return hosts;
    }

    @Test
    void aJobWaitingForALongHeldHostIsSetAsideAndStartsOnceTheHostIsGivenBack() throws SQLException {
        List<String> h = hosts("long-held", "other");
        String holder;
        String waiting;
        String other;
        try (Gate gate = new Gate()) {
            holder = Api.submit(holding(gate, "long-run", List.of(h.get(0))));
            Api.awaitStatus(holder, "running");
            waiting = Api.submit(holding(gate, "set-aside", h));
            await().atMost(Duration.ofSeconds(60)).until(() -> !setAsideFor(waiting).isEmpty());
            assertThat(setAsideFor(waiting)).containsExactly(h.get(0));
            assertThat(Api.get(waiting).getList("blockedBy.jobId")).containsExactly(holder);
            // waiting, it delays no one: a job on its other host starts (as it would without the set-aside)
            other = Api.submit(holding(gate, "beside-it", List.of(h.get(1))));
            Api.awaitStatus(other, "running");
            assertThat(Api.get(waiting).getString("status")).isEqualTo("queued");
        }
        JsonPath started = Api.awaitTerminal(waiting);
        assertThat(started.getString("status")).isEqualTo("completed");
        assertThat(at(started, "startedAt")).isAfterOrEqualTo(at(Api.awaitTerminal(holder), "completedAt"))
                .isAfterOrEqualTo(at(Api.awaitTerminal(other), "completedAt"));
        assertThat(setAsideFor(waiting)).isEmpty();
    }

    @Test
    void aCancelledJobHoldsItsHostsUntilItsProcessesAreGone() {
        List<String> h = hosts("cancelled");
        String waiting;
        try (Gate gate = new Gate()) {
            String holder = Api.submit(holding(gate, "to-cancel", h));
            Api.awaitStatus(holder, "running");
            await().atMost(Duration.ofSeconds(60)).until(() -> Processes.alive(holder) > 0);
            waiting = Api.submit(holding(gate, "after-it", h));
            awaitBlocked(waiting);

            Api.cancel(holder);
            Api.awaitStatus(waiting, "running");
            assertThat(Processes.alive(holder)).as("processes of the cancelled run").isZero();
        }
        assertThat(Api.awaitTerminal(waiting).getString("status")).isEqualTo("completed");
    }

    @Test
    void anotherUsersHolderIsNotNamedToThoseWhoSeeOnlyTheirOwnJobs() {
        List<String> h = hosts("private");
        String operator = given().contentType(ContentType.JSON).body(Map.of("userId", "lock-waiter", "role", "operator"))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
        try (Gate gate = new Gate()) {
            String holder = Api.submit(holding(gate, "admins-job", h));
            Api.awaitStatus(holder, "running");
            String mine = Api.as(operator).contentType(ContentType.JSON).body(holding(gate, "operators-job", h))
                    .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
            awaitBlocked(mine);
            Api.as(operator).get("/api/v1/jobs/" + mine).then().statusCode(200)
                    .body("blockedBy[0].hosts", equalTo(h)).body("blockedBy[0].jobId", nullValue());
            given().get("/api/v1/jobs/" + mine).then().body("blockedBy[0].jobId", equalTo(holder));
            Api.as(operator).get("/api/v1/jobs/" + mine + "/events").then().statusCode(200)
                    .body(org.hamcrest.Matchers.not(containsString(holder)));
        }
    }

    @Test
    void aHostRangeLocksEveryHostItStandsFor() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String holder;
        String single;
        try (Gate gate = new Gate()) {
            holder = Api.submit(holding(gate, "range", List.of("node" + run + "-[1:3]")));
            Api.awaitStatus(holder, "running");
            // the host named with a port is the same host to the lock
            single = Api.submit(holding(gate, "one-of-them", List.of("node" + run + "-2:22")));
            assertThat(awaitBlocked(single).getList("blockedBy[0].hosts")).containsExactly("node" + run + "-2");
        }
        assertThat(Api.awaitTerminal(single).getString("status")).isEqualTo("completed");
    }

    @Test
    void badLockAndQueueValuesAreRefusedByField() {
        Map<String, Object> body = Api.job("bad", "hello.yml");
        body.put("hostLock", "sometimes");
        body.put("queue", "no spaces allowed");
        Api.post(body).then().statusCode(400).contentType("application/problem+json")
                .body("errors.find { it.field == 'hostLock' }.reason", containsString("exclusive, shared, none"))
                .body("errors.find { it.field == 'queue' }.reason", containsString("letters, digits"));
        Map<String, Object> plain = Api.job("defaults", "hello.yml");
        String id = Api.submit(plain);
        given().get("/api/v1/jobs/" + id).then().body("queue", equalTo("default")).body("hostLock", equalTo("exclusive"));
    }
}
