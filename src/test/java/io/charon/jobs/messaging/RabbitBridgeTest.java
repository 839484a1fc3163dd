package io.charon.jobs.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.charon.jobs.support.Api;
import io.charon.jobs.support.StoreUnderTest;
import io.charon.jobs.support.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The RabbitMQ bridge against the broker on this machine, reached through a TCP proxy the test
 * can cut: requests from a queue become jobs, invalid ones land in the dead-letter queue,
 * redeliveries create nothing twice, every event arrives as a CloudEvent, also those produced
 * while the broker was unreachable.
 */
@QuarkusTest
@TestProfile(RabbitBridgeTest.Bridge.class)
@Tag("services")
class RabbitBridgeTest {

    static final String EVENTS_EXCHANGE = "charon.job-events";
    static final String REQUESTS_EXCHANGE = "charon.job-requests";
    static final String DEAD_LETTERS = "charon.job-requests.dlq";
    private static final Duration LONG = Duration.ofSeconds(90);

    /** The "rabbitmq" profile on top of the test profile (on either store), with the broker behind the proxy. */
    public static class Bridge implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return StoreUnderTest.configProfile("rabbitmq");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(BrokerProxy.class));
        }
    }

    /** Puts the proxy between the service and the machine's RabbitMQ. */
    public static class BrokerProxy implements QuarkusTestResourceLifecycleManager {
        static TcpProxy proxy;

        @Override
        public Map<String, String> start() {
            proxy = new TcpProxy("127.0.0.1", 5672);
            return Map.of("rabbitmq-host", "127.0.0.1", "rabbitmq-port", Integer.toString(proxy.port()));
        }

        @Override
        public void stop() {
            proxy.close();
        }
    }

    private static Connection connection;
    private static Channel channel;
    private static String eventsQueue;
    private static final BlockingQueue<Delivery> events = new LinkedBlockingQueue<>();

    record Delivery(String routingKey, AMQP.BasicProperties properties, JsonPath body) {
    }

    @BeforeAll
    static void connectDirectly() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        connection = factory.newConnection("charon-jobs-test");
        channel = connection.createChannel();
        channel.exchangeDeclare(EVENTS_EXCHANGE, "topic", true);
        eventsQueue = channel.queueDeclare().getQueue();
        channel.queueBind(eventsQueue, EVENTS_EXCHANGE, "job.#");
        channel.basicConsume(eventsQueue, true, (tag, message) -> events.add(new Delivery(
                message.getEnvelope().getRoutingKey(), message.getProperties(),
                JsonPath.from(new String(message.getBody(), StandardCharsets.UTF_8)))), tag -> {
        });
    }

    @AfterAll
    static void disconnect() throws Exception {
        connection.close();
    }

    private static void publishRequest(String json, String messageId) throws Exception {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json").messageId(messageId).deliveryMode(2).build();
        channel.basicPublish(REQUESTS_EXCHANGE, "jobs", properties, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String request(String tag) {
        return "{\"name\":\"from-rabbitmq\",\"playbook\":\"hello.yml\",\"inventory\":[\"localhost\"],\"tags\":[\"" + tag + "\"]}";
    }

    private static List<String> jobsTagged(String tag) {
        return given().get("/api/v1/jobs?tag=" + tag).then().statusCode(200).extract().jsonPath().getList("items.id");
    }

    /** The CloudEvents of one job, from the bound queue, up to its final event. */
    private static List<Delivery> eventsOf(String jobId) throws InterruptedException {
        List<Delivery> mine = new ArrayList<>();
        long deadline = System.nanoTime() + LONG.toNanos();
        while (System.nanoTime() < deadline) {
            Delivery delivery = events.poll(1, TimeUnit.SECONDS);
            if (delivery == null || !jobId.equals(delivery.body().getString("subject"))) {
                continue;
            }
            mine.add(delivery);
            if (List.of("job.completed", "job.failed", "job.cancelled", "job.timeout").contains(delivery.routingKey())) {
                return mine;
            }
        }
        throw new AssertionError("the events of job " + jobId + " did not all arrive; got " + mine.size());
    }

    @Test
    void aQueuedRequestBecomesAJobWhoseCloudEventsArriveInOrder() throws Exception {
        String tag = "rabbit-" + UUID.randomUUID();
        publishRequest(request(tag), UUID.randomUUID().toString());

        await().atMost(LONG).until(() -> jobsTagged(tag).size() == 1);
        String id = jobsTagged(tag).get(0);
        assertThat(Api.awaitTerminal(id).getString("status")).isEqualTo("completed");

        List<Delivery> received = eventsOf(id);
        assertThat(received).extracting(Delivery::routingKey)
                .startsWith("job.created", "job.queued", "job.started").endsWith("job.completed").contains("job.progress");
        assertThat(received).allSatisfy(event -> {
            assertThat(event.body().getString("specversion")).isEqualTo("1.0");
            assertThat(event.body().getString("source")).isEqualTo("urn:charon:jobs");
            assertThat(event.body().getString("type")).isEqualTo(event.routingKey());
            assertThat(event.body().getString("id")).isEqualTo(id + ":" + event.body().getInt("data.seq"));
            assertThat(event.body().getString("time")).isNotBlank();
            assertThat(event.body().getString("data.jobId")).isEqualTo(id);
            assertThat(event.properties().getContentType()).isEqualTo("application/cloudevents+json");
        });
        assertThat(received).extracting(event -> event.body().getInt("data.seq"))
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, received.size()).boxed().toList());
    }

    @Test
    void aRedeliveredRequestCreatesNoSecondJob() throws Exception {
        String tag = "rabbit-" + UUID.randomUUID();
        String messageId = UUID.randomUUID().toString();
        publishRequest(request(tag), messageId);
        publishRequest(request(tag), messageId);
        String marker = "rabbit-" + UUID.randomUUID();
        publishRequest(request(marker), UUID.randomUUID().toString());

        // the request sent after both copies is stored: both copies were handled before it... or with it
        await().atMost(LONG).until(() -> jobsTagged(marker).size() == 1 && !jobsTagged(tag).isEmpty());
        Api.awaitTerminal(jobsTagged(marker).get(0));
        assertThat(jobsTagged(tag)).hasSize(1);
    }

    @Test
    void anInvalidRequestLandsInTheDeadLetterQueueWithItsErrors() throws Exception {
        String tag = "rabbit-" + UUID.randomUUID();
        String invalid = "{\"name\":\"bad\",\"playbook\":\"/etc/shadow\",\"inventory\":[\"localhost\"],\"tags\":[\"" + tag + "\"]}";
        publishRequest(invalid, tag);

        GetResponse[] letter = new GetResponse[1];
        await().atMost(LONG).until(() -> {
            GetResponse next;
            while ((next = channel.basicGet(DEAD_LETTERS, true)) != null) {
                if (tag.equals(String.valueOf(next.getProps().getHeaders().get("Idempotency-Key")))) {
                    letter[0] = next;
                    return true;
                }
            }
            return false;
        });
        assertThat(new String(letter[0].getBody(), StandardCharsets.UTF_8)).isEqualTo(invalid);
        JsonPath errors = JsonPath.from(String.valueOf(letter[0].getProps().getHeaders().get("x-charon-errors")));
        assertThat(errors.getList("field")).contains("playbook");
        assertThat(jobsTagged(tag)).isEmpty();
    }

    @Test
    void eventsProducedWhileTheBrokerIsUnreachableArriveOnceItIsBack() throws Exception {
        BrokerProxy.proxy.cut();
        String id;
        try {
            // jobs go on without the broker
            id = Api.submit(Api.job("while-cut", "hello.yml"));
            assertThat(Api.awaitTerminal(id).getString("status")).isEqualTo("completed");
            await().atMost(LONG).until(() -> given().get("/q/health/ready").statusCode() == 503);
        } finally {
            BrokerProxy.proxy.restore();
        }
        List<Delivery> received = eventsOf(id);
        // at least once: a batch the broker never confirmed is sent again; each event's first delivery is in order
        Set<Integer> seen = new HashSet<>();
        List<Delivery> firsts = received.stream().filter(event -> seen.add(event.body().getInt("data.seq"))).toList();
        assertThat(firsts).extracting(Delivery::routingKey)
                .startsWith("job.created", "job.queued", "job.started").endsWith("job.completed");
        assertThat(firsts).extracting(event -> event.body().getInt("data.seq"))
                .isEqualTo(IntStream.rangeClosed(1, Api.events(id).size()).boxed().toList());
        await().atMost(LONG).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }
}
