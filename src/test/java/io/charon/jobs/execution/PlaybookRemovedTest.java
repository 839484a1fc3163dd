package io.charon.jobs.execution;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class PlaybookRemovedTest {

    @Test
    void aPlaybookRemovedBeforeItsRunFailsTheJobSayingSo() throws Exception {
        Path playbook = Path.of("src/test/resources/playbooks/vanishing-" + UUID.randomUUID() + ".yml");
        Files.copy(Path.of("src/test/resources/playbooks/hello.yml"), playbook);
        String id;
        try (Gate gate = new Gate()) {
            String parent = Api.submit(gate.job("holds-the-child-back"));
            Map<String, Object> body = Api.job("vanishing", playbook.getFileName().toString());
            body.put("dependsOn", List.of(parent));
            id = Api.submit(body);
            Files.delete(playbook);
        } finally {
            Files.deleteIfExists(playbook);
        }

        JsonPath job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("errorMessage")).contains(playbook.getFileName().toString()).contains("does not exist");
    }
}
