package io.charon.jobs.schedule;

import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.store.Store;
import io.charon.jobs.submission.SubmissionValidator;
import io.charon.jobs.support.Api;
import io.charon.jobs.template.Template;
import io.charon.jobs.template.Templates;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;

/**
 * Schedules firing real jobs. Time is driven by the instants handed to the firer: every schedule
 * here starts in 2031, so the service's own firer, on the real clock, leaves it alone, and a test
 * walks through its slots (and outages) in seconds. Jobs that must not end wait in a paused queue.
 */
@QuarkusTest
class ScheduleFiringTest {

    private static final Instant T = Instant.parse("2031-01-01T00:00:00Z");

    @Inject
    ScheduleFirer firer;
    @Inject
    Store store;
    @Inject
    AuditTrail audit;
    @Inject
    Clock clock;
    @Inject
    SubmissionValidator validator;

    private String name;
    private String pausedQueue;

    @BeforeEach
    void names() {
        name = "sch-" + UUID.randomUUID().toString().substring(0, 8);
        pausedQueue = "held-" + name;
        given().contentType(ContentType.JSON).body(Map.of("paused", true)).put("/api/v1/queues/" + pausedQueue)
                .then().statusCode(200);
    }

    @AfterEach
    void cancelWhatWaits() {
        for (String id : jobs()) {
            if (!Api.TERMINAL.contains(Api.status(id))) {
                Api.cancel(id);
            }
        }
    }

    /** A template tagged with the test's name, whose jobs run at once, or wait in the paused queue when {@code held}. */
    private void template(boolean held) {
        given().contentType(ContentType.JSON).body(templateBody(name, held)).post("/api/v1/templates").then()
                .statusCode(201);
    }

    private Map<String, Object> templateBody(String template, boolean held) {
        Map<String, Object> body = new HashMap<>(Api.job(template, "hello.yml"));
        body.put("tags", List.of(name));
        if (held) {
            body.put("queue", pausedQueue);
        }
        body.put("parameters", new ArrayList<>(List.of(Map.of("name", "greeting", "type", "string", "required", true))));
        return body;
    }

    private JsonPath schedule(String cron, Object... settings) {
        return given().contentType(ContentType.JSON).body(scheduleBody(cron, settings)).post("/api/v1/schedules").then()
                .statusCode(201).extract().jsonPath();
    }

    private Map<String, Object> scheduleBody(String cron, Object... settings) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("template", name);
        body.put("parameters", Map.of("greeting", "hi"));
        body.put("cron", cron);
        body.put("startAt", T.toString());
        for (int i = 0; i < settings.length; i += 2) {
            body.put((String) settings[i], settings[i + 1]);
        }
        return body;
    }

    private JsonPath view() {
        return given().get("/api/v1/schedules/" + name).then().statusCode(200).extract().jsonPath();
    }

    /** The ids of the jobs the schedule launched, oldest first. */
    private List<String> jobs() {
        List<String> ids = new ArrayList<>(given().get("/api/v1/jobs?limit=500&tag=" + name).then().statusCode(200)
                .extract().jsonPath().getList("items.id", String.class));
        java.util.Collections.reverse(ids);
        return ids;
    }

    private static Instant at(String offset) {
        return T.plus(Duration.parse(offset));
    }

    @Test
    void eachSlotFiresOneRealJobOnce() {
        template(false);
        JsonPath created = schedule("*/5 * * * *");
        assertThat(created.getList("nextRuns", String.class)).containsExactly("2031-01-01T00:00:00Z",
                "2031-01-01T00:05:00Z", "2031-01-01T00:10:00Z", "2031-01-01T00:15:00Z", "2031-01-01T00:20:00Z");
        for (String offset : List.of("PT10S", "PT5M10S", "PT10M2S")) {
            firer.fire(name, at(offset));
            firer.fire(name, at(offset).plusSeconds(1)); // again, as a second pass or replica would: nothing more
            List<String> ids = jobs();
            assertThat(Api.awaitTerminal(ids.get(ids.size() - 1)).getString("status")).isEqualTo("completed");
        }
        List<String> ids = jobs();
        assertThat(ids).hasSize(3);
        JsonPath job = Api.get(ids.get(2));
        assertThat(job.getString("template")).isEqualTo(name);
        assertThat(job.getString("variables.greeting")).isEqualTo("hi");
        assertThat(Api.events(ids.get(2))).anySatisfy(event -> {
            assertThat(event.get("type")).isEqualTo("schedule.fired");
            assertThat((Map<String, Object>) event.get("data")).containsEntry("slot", "2031-01-01T00:10:00Z");
        });
        JsonPath schedule = view();
        assertThat(schedule.getString("lastFiredSlot")).isEqualTo("2031-01-01T00:10:00Z");
        assertThat(schedule.getString("lastFiredJob")).isEqualTo(ids.get(2));
        assertThat(schedule.getLong("missedCount")).isZero();
        assertThat(schedule.getList("nextRuns", String.class)).first().isEqualTo("2031-01-01T00:15:00Z");
    }

    @Test
    void aChangeThatSetsTheScheduleBackToAHandledSlotDoesNotHandleItAgain() {
        template(false);
        schedule("*/5 * * * *");
        firer.fire(name, at("PT10S"));
        assertThat(jobs()).hasSize(1);
        // stored again, the schedule's next slot is the first from its start: the slot just fired
        given().contentType(ContentType.JSON).body(scheduleBody("*/5 * * * *")).put("/api/v1/schedules/" + name).then()
                .statusCode(200);
        assertThat(view().getList("nextRuns", String.class)).first().isEqualTo(T.toString());
        firer.fire(name, at("PT20S"));
        assertThat(jobs()).hasSize(1);
        Api.awaitTerminal(jobs().get(0)); // overlap skip would pass over the next slot while it runs
        firer.fire(name, at("PT5M10S"));
        assertThat(jobs()).hasSize(2);
        assertThat(view().getString("lastFiredSlot")).isEqualTo("2031-01-01T00:05:00Z");
    }

    @Test
    void aSecretParameterIsNotKeptInASchedule() {
        Map<String, Object> template = new HashMap<>(Api.job(name, "hello.yml"));
        template.put("parameters", List.of(Map.of("name", "token", "type", "secret")));
        given().contentType(ContentType.JSON).body(template).post("/api/v1/templates").then().statusCode(201);
        Map<String, Object> body = scheduleBody("@daily");
        body.put("parameters", Map.of("token", "s3cr3t"));
        given().contentType(ContentType.JSON).body(body).post("/api/v1/schedules").then().statusCode(400)
                .body("errors.field", contains("parameters.token"));
        given().get("/api/v1/schedules/" + name).then().statusCode(404);
        given().delete("/api/v1/templates/" + name).then().statusCode(204);
    }

    @Test
    void overlapSkipSkipsTheSlotWhileThePreviousJobWaits() {
        template(true);
        schedule("*/5 * * * *");
        firer.fire(name, at("PT1S"));
        firer.fire(name, at("PT5M1S"));
        List<String> ids = jobs();
        assertThat(ids).hasSize(1);
        assertThat(view().getString("lastSkippedSlot")).isEqualTo("2031-01-01T00:05:00Z");
        assertThat(Api.events(ids.get(0))).anySatisfy(event -> assertThat(event.get("type")).isEqualTo("schedule.skipped"));
        Api.cancel(ids.get(0));
        firer.fire(name, at("PT10M1S"));
        assertThat(jobs()).hasSize(2);
    }

    @Test
    void overlapQueueFiresBesideThePreviousJob() {
        template(true);
        schedule("*/5 * * * *", "overlap", "queue");
        firer.fire(name, at("PT1S"));
        firer.fire(name, at("PT5M1S"));
        List<String> ids = jobs();
        assertThat(ids).hasSize(2);
        assertThat(ids).allSatisfy(id -> assertThat(Api.status(id)).isEqualTo("queued"));
        assertThat(view().getString("lastSkippedSlot")).isNull();
    }

    @Test
    void overlapCancelPreviousCancelsItThenFires() {
        template(true);
        schedule("*/5 * * * *", "overlap", "cancel-previous");
        firer.fire(name, at("PT1S"));
        firer.fire(name, at("PT5M1S"));
        List<String> ids = jobs();
        assertThat(ids).hasSize(2);
        assertThat(Api.status(ids.get(0))).isEqualTo("cancelled");
        assertThat(Api.status(ids.get(1))).isEqualTo("queued");
    }

    /**
     * Only a slot that fires cancels the previous job: not slots missed past their start deadline,
     * nor one skipped because the template no longer launches with the schedule's parameters.
     */
    @Test
    void overlapCancelPreviousCancelsOnlyWhenTheSlotFires() {
        template(true);
        schedule("@hourly", "overlap", "cancel-previous", "startDeadline", "PT15M");
        firer.fire(name, at("PT1S"));
        List<String> ids = jobs();
        assertThat(ids).hasSize(1);

        firer.fire(name, at("PT3H20M")); // 01:00 to 03:00, the latest 20 minutes late: all missed
        assertThat(view().getLong("missedCount")).isEqualTo(3);
        assertThat(jobs()).hasSize(1);
        assertThat(Api.status(ids.get(0))).as("after missed slots").isEqualTo("queued");

        firer.fire(name, at("PT4H1S"));
        ids = jobs();
        assertThat(ids).hasSize(2);
        assertThat(Api.status(ids.get(0))).isEqualTo("cancelled");
        assertThat(Api.status(ids.get(1))).isEqualTo("queued");

        // a parameter the schedule does not give, now required: the next slot is skipped
        Map<String, Object> changed = templateBody(name, true);
        ((List<Object>) changed.get("parameters")).add(Map.of("name", "target", "type", "string", "required", true));
        given().contentType(ContentType.JSON).body(changed).put("/api/v1/templates/" + name).then().statusCode(200);
        firer.fire(name, at("PT5H1S"));
        assertThat(view().getString("lastSkippedSlot")).isEqualTo("2031-01-01T05:00:00Z");
        assertThat(jobs()).hasSize(2);
        assertThat(Api.status(ids.get(1))).as("after a skipped slot").isEqualTo("queued");
    }

    /**
     * A template deleted after a schedule's settings were checked against it, before the schedule
     * is stored (the check reads outside the storing transaction): the schedule is refused, as if
     * the template had been gone at the check, and none is left naming it. Done by a stand-in for
     * the templates that deletes the template as soon as the check has read it.
     */
    @Test
    void aTemplateDeletedBehindAScheduleCheckLeavesNoScheduleOfIt() {
        template(false);
        schedule("@daily");
        String doomedForCreate = name + "-gone-1";
        String doomedForUpdate = name + "-gone-2";
        for (String template : List.of(doomedForCreate, doomedForUpdate)) {
            given().contentType(ContentType.JSON).body(templateBody(template, false)).post("/api/v1/templates").then()
                    .statusCode(201);
        }
        Set<String> doomed = ConcurrentHashMap.newKeySet();
        doomed.addAll(List.of(doomedForCreate, doomedForUpdate));
        QuarkusMock.installMockForType(new Templates(store, audit, clock, validator) {
            @Override
            public Template get(String template, String userId, boolean admin) {
                Template read = super.get(template, userId, admin);
                if (doomed.remove(template)) {
                    delete(template, "admin");
                }
                return read;
            }
        }, Templates.class);

        Map<String, Object> create = scheduleBody("@daily");
        create.put("name", name + "-2");
        create.put("template", doomedForCreate);
        given().contentType(ContentType.JSON).body(create).post("/api/v1/schedules").then().statusCode(400)
                .body("errors.field", contains("template"));
        given().get("/api/v1/schedules/" + name + "-2").then().statusCode(404);

        Map<String, Object> update = scheduleBody("@daily");
        update.put("template", doomedForUpdate);
        given().contentType(ContentType.JSON).body(update).put("/api/v1/schedules/" + name).then().statusCode(400)
                .body("errors.field", contains("template"));
        assertThat(view().getString("template")).isEqualTo(name);

        assertThat(doomed).as("both deleted behind the check").isEmpty();
        for (String template : List.of(doomedForCreate, doomedForUpdate)) {
            given().get("/api/v1/templates/" + template).then().statusCode(404);
        }
        given().delete("/api/v1/schedules/" + name).then().statusCode(204);
    }

    /** Three hours down: under run-once, the latest slot fires once and the 35 before it are missed. */
    @Test
    void afterAnOutageRunOnceFiresTheLatestSlotOnly() {
        template(true);
        schedule("*/5 * * * *", "overlap", "queue");
        firer.fire(name, at("PT1S"));
        firer.fire(name, at("PT3H2M"));
        List<String> ids = jobs();
        assertThat(ids).hasSize(2);
        JsonPath schedule = view();
        assertThat(schedule.getString("lastFiredSlot")).isEqualTo("2031-01-01T03:00:00Z");
        assertThat(schedule.getLong("missedCount")).isEqualTo(35);
        assertThat(schedule.getString("lastMissedSlot")).isEqualTo("2031-01-01T02:55:00Z");
        assertThat(Api.events(ids.get(1))).anySatisfy(event -> {
            assertThat(event.get("type")).isEqualTo("schedule.missed");
            assertThat((Map<String, Object>) event.get("data")).containsEntry("missed", 35)
                    .containsEntry("slot", "2031-01-01T02:55:00Z");
        });
    }

    @Test
    void afterAnOutagePastTheStartDeadlineNothingFires() {
        template(true);
        schedule("@hourly", "overlap", "queue", "startDeadline", "PT15M");
        firer.fire(name, at("PT3H20M"));
        assertThat(jobs()).isEmpty();
        JsonPath schedule = view();
        assertThat(schedule.getLong("missedCount")).isEqualTo(4); // 00:00 to 03:00
        assertThat(schedule.getString("lastMissedSlot")).isEqualTo("2031-01-01T03:00:00Z");
        assertThat(schedule.getList("nextRuns", String.class)).first().isEqualTo("2031-01-01T04:00:00Z");
    }

    @Test
    void afterAnOutageMisfireSkipRunsNothing() {
        template(true);
        schedule("*/5 * * * *", "overlap", "queue", "misfire", "skip");
        firer.fire(name, at("PT30S"));
        assertThat(jobs()).hasSize(1); // on time: fires as under any misfire policy
        firer.fire(name, at("PT3H2M"));
        assertThat(jobs()).hasSize(1);
        assertThat(view().getLong("missedCount")).isEqualTo(36);
    }

    /**
     * Two firers (as two replicas would) handle each minute of an hour at once: every slot has
     * exactly one job. On PostgreSQL the row lock orders them; on SQLite the single writer does.
     */
    @Test
    void twoFirersAtOnceFireEverySlotOfAnHourExactlyOnce() throws Exception {
        template(true);
        schedule("* * * * *", "overlap", "queue");
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int replica = 0; replica < 2; replica++) {
                runs.add(replicas.submit(() -> {
                    for (int minute = 0; minute < 60; minute++) {
                        together.await();
                        firer.fire(name, T.plus(Duration.ofMinutes(minute)).plusSeconds(5));
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            replicas.shutdownNow();
        }
        List<String> ids = jobs();
        assertThat(ids).hasSize(60).doesNotHaveDuplicates();
        List<String> slots = new ArrayList<>();
        for (String id : ids) {
            Api.events(id).stream().filter(event -> event.get("type").equals("schedule.fired"))
                    .forEach(event -> slots.add((String) ((Map<?, ?>) event.get("data")).get("slot")));
        }
        assertThat(slots).hasSize(60).doesNotHaveDuplicates();
        assertThat(view().getLong("missedCount")).isZero();
    }

    @Test
    void badSettingsAreListedInOne400() {
        template(false);
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("template", name);
        body.put("parameters", Map.of("greeting", 5, "other", "x"));
        body.put("cron", "61 * * * *");
        body.put("timeZone", "Mars/Olympus");
        body.put("startAt", "2031-02-01T00:00:00Z");
        body.put("endAt", "2031-01-01T00:00:00Z");
        body.put("overlap", "sometimes");
        body.put("misfire", "never");
        body.put("startDeadline", "soon");
        Map<String, String> errors = new HashMap<>();
        given().contentType(ContentType.JSON).body(body).post("/api/v1/schedules").then().statusCode(400).extract()
                .jsonPath().getList("errors", Map.class)
                .forEach(e -> errors.put((String) e.get("field"), (String) e.get("reason")));
        assertThat(errors).containsOnlyKeys("parameters.greeting", "parameters.other", "cron", "timeZone", "endAt",
                "overlap", "misfire", "startDeadline");
        given().get("/api/v1/schedules/" + name).then().statusCode(404);
        schedule("@daily");
        given().delete("/api/v1/templates/" + name).then().statusCode(409);
        String operator = Api.token("op-" + name, "operator");
        Api.as(operator).get("/api/v1/schedules/" + name).then().statusCode(403);
        given().delete("/api/v1/schedules/" + name).then().statusCode(204);
        given().delete("/api/v1/templates/" + name).then().statusCode(204);
    }
}
