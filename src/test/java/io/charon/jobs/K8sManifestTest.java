package io.charon.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.charon.jobs.config.AnsibleConfig;
import io.charon.jobs.config.EventsConfig;
import io.charon.jobs.config.SecurityConfig;
import io.charon.jobs.config.JobsConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.ConfigMappings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kustomize base under {@code k8s/} and the Dockerfiles point at what the application really
 * has: probe paths that answer, the HTTP port, configuration keys (as environment variables) that
 * the application reads, and a termination grace period that covers the shutdown it configures.
 * Parsed as YAML, since kubectl may be absent.
 */
@QuarkusTest
class K8sManifestTest {

    private static final Path K8S = Path.of("k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The configuration roots whose keys the manifests may set, with their prefixes. */
    private static final Map<Class<?>, String> ROOTS = Map.of(
            JobsConfig.class, "charon.jobs",
            AnsibleConfig.class, "charon.ansible",
            EventsConfig.class, "charon.events",
            SecurityConfig.class, "charon.security",
            io.quarkus.runtime.shutdown.ShutdownConfig.class, "quarkus.shutdown",
            io.quarkus.logging.json.runtime.JsonLogConfig.class, "quarkus.log");

    @Test
    void theKustomizationListsEveryManifestOnce() throws IOException {
        Map<String, JsonNode> resources = resources();

        assertThat(resources.keySet()).containsExactlyInAnyOrder("Deployment/charon-jobs", "Service/charon-jobs",
                "PersistentVolumeClaim/charon-jobs-data", "ConfigMap/charon-jobs-config", "ConfigMap/charon-jobs-playbooks");
    }

    @Test
    void theDeploymentProbesRealEndpointsOnTheApplicationsPort() throws IOException {
        Map<String, JsonNode> resources = resources();
        JsonNode deployment = resources.get("Deployment/charon-jobs");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");

        assertThat(deployment.at("/spec/replicas").asInt()).as("SQLite: one process owns the file").isEqualTo(1);
        assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(container.at("/ports/0/containerPort").asInt()).as("the port the packaged service listens on")
                .isEqualTo(Integer.parseInt(applicationProperties().getProperty("quarkus.http.port")));
        Map<String, String> probes = Map.of("startupProbe", "/q/health/started", "livenessProbe", "/q/health/live",
                "readinessProbe", "/q/health/ready");
        probes.forEach((probe, path) -> {
            assertThat(container.at("/" + probe + "/httpGet/path").asText()).as(probe).isEqualTo(path);
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(probe).isEqualTo("http");
            int status = given().get(path).statusCode();
            assertThat(status).as(path + " answers as a probe").isIn(200, 503);
        });
        assertThat(container.at("/resources/requests/cpu").isMissingNode()).isFalse();
        assertThat(container.at("/resources/requests/memory").isMissingNode()).isFalse();
        assertThat(container.at("/resources/limits/memory").isMissingNode()).isFalse();
        assertThat(container.at("/resources/limits/cpu").isMissingNode()).isFalse();

        JsonNode service = resources.get("Service/charon-jobs");
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
        assertThat(service.at("/spec/selector")).isEqualTo(deployment.at("/spec/template/metadata/labels"));
        assertThat(deployment.at("/spec/selector/matchLabels")).isEqualTo(deployment.at("/spec/template/metadata/labels"));
    }

    @Test
    void theContainerRunsAsNonRootOnAReadOnlyRootWithWritableDataAndTmp() throws IOException {
        Map<String, JsonNode> resources = resources();
        JsonNode pod = resources.get("Deployment/charon-jobs").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        Map<String, String> env = environment(resources);

        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        Map<String, JsonNode> mounts = new HashMap<>();
        container.at("/volumeMounts").forEach(m -> mounts.put(m.get("mountPath").asText(), m));
        Map<String, JsonNode> volumes = new HashMap<>();
        pod.at("/volumes").forEach(v -> volumes.put(v.get("name").asText(), v));

        String dataMount = mountHolding(mounts, env.get("CHARON_JOBS_DATA_DIR"));
        JsonNode data = volumes.get(mounts.get(dataMount).get("name").asText());
        assertThat(data.at("/persistentVolumeClaim/claimName").asText())
                .isEqualTo(resources.get("PersistentVolumeClaim/charon-jobs-data").at("/metadata/name").asText());
        assertThat(volumes.get(mounts.get("/tmp").get("name").asText()).has("emptyDir")).isTrue();
        JsonNode playbooks = mounts.get(env.get("CHARON_ANSIBLE_PLAYBOOK_DIR"));
        assertThat(playbooks).as("a volume at the playbook directory").isNotNull();
        assertThat(volumes.get(playbooks.get("name").asText()).at("/configMap/name").asText())
                .isEqualTo("charon-jobs-playbooks");
        assertThat(resources.get("ConfigMap/charon-jobs-playbooks").at("/data").fieldNames()).toIterable()
                .allSatisfy(file -> assertThat(file).endsWith(".yml"));
    }

    @Test
    void everyEnvironmentVariableIsAConfigurationKeyOfTheApplication() throws IOException {
        Map<String, String> known = knownEnvironmentVariables();
        Map<String, String> env = environment(resources());
        env.putAll(dockerfileEnvironment(Path.of("src/main/docker/Dockerfile.jvm")));
        env.putAll(dockerfileEnvironment(Path.of("src/main/docker/Dockerfile.native")));

        assertThat(env).containsKeys("CHARON_JOBS_DATA_DIR", "CHARON_ANSIBLE_PLAYBOOK_DIR", "CHARON_JOBS_MIN_FREE_DISK");
        env.keySet().stream().filter(name -> name.startsWith("CHARON_") || name.startsWith("QUARKUS_"))
                .forEach(name -> assertThat(known).as(name + " names a configuration key").containsKey(name));
    }

    @Test
    void theTerminationGracePeriodCoversTheShutdown() throws IOException {
        Map<String, JsonNode> resources = resources();
        Map<String, String> env = environment(resources);
        Duration shutdown = duration(env.getOrDefault("QUARKUS_SHUTDOWN_DELAY", "0S"))
                .plus(duration(env.getOrDefault("CHARON_JOBS_SHUTDOWN_GRACE", "PT20S")))
                .plus(duration(env.getOrDefault("CHARON_ANSIBLE_KILL_GRACE", "PT5S")));

        int grace = resources.get("Deployment/charon-jobs").at("/spec/template/spec/terminationGracePeriodSeconds").asInt();

        assertThat(Duration.ofSeconds(grace)).isGreaterThan(shutdown.plusSeconds(10));
    }

    @Test
    void theImagesRunAsNonRootWithAnsibleAndDataOnAVolume() throws IOException {
        for (String file : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            String text = Files.readString(Path.of("src/main/docker", file));
            Map<String, String> env = dockerfileEnvironment(Path.of("src/main/docker", file));
            assertThat(text).as(file).contains("ansible-core").containsPattern("(?m)^USER \\$\\{UID}$")
                    .contains("ARG UID=10001");
            Matcher volume = Pattern.compile("(?m)^VOLUME \\[\"([^\"]+)\"]").matcher(text);
            assertThat(volume.find()).as(file + " declares a volume").isTrue();
            assertThat(env.get("CHARON_JOBS_DATA_DIR")).as(file).startsWith(volume.group(1) + "/");
        }
    }

    /** The packaged configuration, without the test profile's overrides (a test listens on another port). */
    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    /** Every manifest the kustomization lists, by kind and name. */
    private static Map<String, JsonNode> resources() throws IOException {
        JsonNode kustomization = YAML.readTree(K8S.resolve("kustomization.yaml").toFile());
        Map<String, JsonNode> resources = new HashMap<>();
        for (JsonNode file : kustomization.get("resources")) {
            JsonNode manifest = YAML.readTree(K8S.resolve(file.asText()).toFile());
            String key = manifest.get("kind").asText() + "/" + manifest.at("/metadata/name").asText();
            assertThat(resources.put(key, manifest)).as(key + " listed once").isNull();
        }
        return resources;
    }

    /** The container's environment: its ConfigMaps (envFrom) and its own env entries. */
    private static Map<String, String> environment(Map<String, JsonNode> resources) {
        JsonNode container = resources.get("Deployment/charon-jobs").at("/spec/template/spec/containers/0");
        Map<String, String> env = new HashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            String name = source.at("/configMapRef/name").asText();
            JsonNode configMap = resources.get("ConfigMap/" + name);
            assertThat(configMap).as("ConfigMap " + name).isNotNull();
            configMap.get("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        container.path("env").forEach(e -> env.put(e.get("name").asText(), e.path("value").asText()));
        return env;
    }

    /** {@code ENV NAME=value} entries of a Dockerfile, continuation lines included. */
    private static Map<String, String> dockerfileEnvironment(Path dockerfile) throws IOException {
        String text = Files.readString(dockerfile).replace("\\\n", " ");
        Map<String, String> env = new HashMap<>();
        Matcher line = Pattern.compile("(?m)^ENV (.*)$").matcher(text);
        while (line.find()) {
            Matcher pair = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher(line.group(1));
            while (pair.find()) {
                env.put(pair.group(1), pair.group(2));
            }
        }
        return env;
    }

    /** Environment variable name to configuration key, for every key of {@link #ROOTS}. */
    private static Map<String, String> knownEnvironmentVariables() {
        Map<String, String> known = new HashMap<>();
        ROOTS.forEach((root, prefix) -> ConfigMappings.getProperties(new ConfigMappings.ConfigClass(root, prefix)).keySet()
                .forEach(key -> known.put(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), key)));
        Set<String> charon = new HashSet<>(known.values());
        charon.removeIf(key -> !key.startsWith("charon."));
        assertThat(charon).as("the application's own keys").contains("charon.jobs.worker-count",
                "charon.jobs.min-free-disk", "charon.ansible.command");
        return known;
    }

    /** The mount whose path holds {@code dir}. */
    private static String mountHolding(Map<String, JsonNode> mounts, String dir) {
        List<String> holding = new ArrayList<>(mounts.keySet());
        holding.removeIf(mount -> !dir.startsWith(mount + "/"));
        assertThat(holding).as("a volume holds " + dir).hasSize(1);
        return holding.get(0);
    }

    private static Duration duration(String text) {
        return DurationConverter.parseDuration(text);
    }
}
