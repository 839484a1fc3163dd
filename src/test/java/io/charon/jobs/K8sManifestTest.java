package io.charon.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.charon.jobs.config.AnsibleConfig;
import io.charon.jobs.config.EventsConfig;
import io.charon.jobs.config.SecurityConfig;
import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.store.Store;
import io.charon.jobs.support.Kustomize;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.ConfigMappings;
import org.junit.jupiter.api.Tag;
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
 * The kustomize base under {@code k8s/base} (applied through {@code k8s/}), its PostgreSQL overlay
 * under {@code k8s/overlays/postgresql} and the Dockerfiles point at what the application really
 * has: probe paths that answer, the HTTP port, configuration keys (as environment variables) that
 * the application reads, a termination grace period that covers the shutdown it configures, and,
 * for several replicas, volumes that share only what replicas may share. The manifests are
 * rendered by kustomize ({@link Kustomize}); {@link ManifestSchemaTest} checks them against the
 * Kubernetes schemas.
 */
@QuarkusTest
@Tag("store-independent") // reads the manifests and the configuration, never the store
class K8sManifestTest {

    private static final Path K8S = Path.of("k8s");
    private static final Path BASE = K8S.resolve("base");
    private static final Path POSTGRESQL = K8S.resolve("overlays/postgresql");
    private static final Path PROMETHEUS = K8S.resolve("examples/prometheus");
    /** The configuration roots whose keys the manifests may set, with their prefixes. */
    private static final Map<Class<?>, String> ROOTS = Map.of(
            JobsConfig.class, "charon.jobs",
            AnsibleConfig.class, "charon.ansible",
            EventsConfig.class, "charon.events",
            SecurityConfig.class, "charon.security",
            io.quarkus.runtime.shutdown.ShutdownConfig.class, "quarkus.shutdown",
            io.quarkus.logging.json.runtime.JsonLogConfig.class, "quarkus.log",
            // quarkus.profile, and the named datasource's address and account
            io.quarkus.runtime.ConfigConfig.class, "quarkus",
            io.quarkus.datasource.runtime.DataSourcesRuntimeConfig.class, "quarkus.datasource",
            io.quarkus.agroal.runtime.DataSourcesJdbcRuntimeConfig.class, "quarkus.datasource");
    /** The shutdown's default settings, where neither a manifest nor a unit sets them. */
    private static final Map<String, String> SHUTDOWN_DEFAULTS = Map.of("QUARKUS_SHUTDOWN_DELAY", "0S",
            "CHARON_JOBS_SHUTDOWN_GRACE", "PT20S", "CHARON_ANSIBLE_KILL_GRACE", "PT5S");
    @Test
    void theKustomizationListsEveryManifestOnce() throws IOException {
        Map<String, JsonNode> resources = render(K8S);

        assertThat(resources.keySet()).containsExactlyInAnyOrder("Deployment/charon-jobs", "Service/charon-jobs",
                "PersistentVolumeClaim/charon-jobs-data", "ConfigMap/charon-jobs-config", "ConfigMap/charon-jobs-playbooks");
        assertThat(render(BASE)).as("k8s/ is the base").isEqualTo(resources);
    }

    @Test
    void theDeploymentProbesRealEndpointsOnTheApplicationsPort() throws IOException {
        Map<String, JsonNode> resources = render(K8S);
        JsonNode deployment = resources.get("Deployment/charon-jobs");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");

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
        Map<String, JsonNode> resources = render(K8S);
        JsonNode pod = resources.get("Deployment/charon-jobs").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        Map<String, String> env = environment(resources);

        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        Map<String, JsonNode> mounts = new HashMap<>();
        container.at("/volumeMounts").forEach(m -> mounts.put(m.get("mountPath").asText(), m));
        Map<String, JsonNode> volumes = volumes(pod);

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
    void thePostgresqlOverlayReplacesTheSqliteVolumeWithASharedLogsVolume() throws IOException {
        Map<String, JsonNode> base = render(K8S);
        Map<String, JsonNode> resources = render(POSTGRESQL);

        Set<String> expected = new HashSet<>(base.keySet());
        expected.remove("PersistentVolumeClaim/charon-jobs-data");
        expected.add("PersistentVolumeClaim/charon-jobs-logs");
        expected.add("PodDisruptionBudget/charon-jobs");
        assertThat(resources.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        // every claim a volume names is part of the rendering: the base's SQLite claim is gone with its volume
        volumes(resources.get("Deployment/charon-jobs").at("/spec/template/spec")).values().stream()
                .filter(volume -> volume.has("persistentVolumeClaim"))
                .forEach(volume -> assertThat(resources)
                        .containsKey("PersistentVolumeClaim/" + volume.at("/persistentVolumeClaim/claimName").asText()));
    }

    @Test
    void thePostgresqlOverlayRollsThreeReplicasOnThePostgresqlStore() throws IOException {
        Map<String, JsonNode> base = render(K8S);
        Map<String, JsonNode> resources = render(POSTGRESQL);
        JsonNode deployment = resources.get("Deployment/charon-jobs");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        JsonNode baseContainer = base.get("Deployment/charon-jobs").at("/spec/template/spec/containers/0");
        Map<String, String> env = environment(resources);

        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
        assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt(-1))
                .as("a new pod is ready before an old one drains").isZero();
        assertThat(deployment.at("/spec/strategy/rollingUpdate/maxSurge").asInt()).isEqualTo(1);
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(container.get(probe)).as(probe + " is the base's").isEqualTo(baseContainer.get(probe));
        }
        assertThat(container.get("ports")).isEqualTo(baseContainer.get("ports"));
        assertThat(env.get("QUARKUS_SHUTDOWN_DELAY")).as("draining before the pod stops, as in the base")
                .isNotBlank().isEqualTo(environment(base).get("QUARKUS_SHUTDOWN_DELAY"));

        // the profile that makes the PostgreSQL datasource the active one, on top of prod
        assertThat(List.of(env.get("QUARKUS_PROFILE").split(","))).contains("prod", Store.POSTGRESQL);
        Properties properties = applicationProperties();
        assertThat(properties.getProperty("%" + Store.POSTGRESQL + ".quarkus.datasource." + Store.POSTGRESQL + ".active"))
                .isEqualTo("true");
        assertThat(properties.getProperty("%" + Store.POSTGRESQL + ".quarkus.datasource.active")).isEqualTo("false");
        assertThat(env.get("QUARKUS_DATASOURCE_POSTGRESQL_JDBC_URL")).startsWith("jdbc:postgresql://");
        // the account, the admin token and the sealing key from Secrets, never from the ConfigMap, and
        // required: replicas need the same token and key, and the database its real password
        Map<String, String> secrets = Map.of("QUARKUS_DATASOURCE_POSTGRESQL_USERNAME", "charon-jobs-database",
                "QUARKUS_DATASOURCE_POSTGRESQL_PASSWORD", "charon-jobs-database",
                "CHARON_SECURITY_ADMIN_TOKEN", "charon-jobs-secrets",
                "CHARON_SECURITY_SECRET_KEY", "charon-jobs-secrets");
        secrets.forEach((variable, secret) -> {
            assertThat(resources.get("ConfigMap/charon-jobs-config").get("data").has(variable)).as(variable).isFalse();
            JsonNode entry = envEntry(container, variable);
            assertThat(entry).as(variable).isNotNull();
            assertThat(entry.at("/valueFrom/secretKeyRef/name").asText()).as(variable + " from a Secret").isEqualTo(secret);
            assertThat(entry.at("/valueFrom/secretKeyRef/optional").asBoolean(false)).as(variable + " is required").isFalse();
        });
    }

    /**
     * No kustomization applies a Secret: one that did would write its placeholder values into the
     * cluster at every apply. The operator creates them, so every Secret a container requires is
     * described, by name and key, in the README.md beside the kustomization that requires it.
     */
    @Test
    void noSecretIsAppliedAndEveryRequiredOneIsDescribedForTheOperator() throws IOException {
        for (Path kustomization : List.of(K8S, POSTGRESQL)) {
            Map<String, JsonNode> resources = render(kustomization);
            assertThat(resources.keySet()).as(kustomization + ": Secrets applied").noneMatch(key -> key.startsWith("Secret/"));
            JsonNode pod = resources.get("Deployment/charon-jobs").at("/spec/template/spec");
            List<JsonNode> references = new ArrayList<>();
            for (String containers : List.of("containers", "initContainers")) {
                pod.path(containers).forEach(c -> c.path("env").forEach(e -> {
                    if (e.at("/valueFrom/secretKeyRef").isObject()) {
                        references.add(e.at("/valueFrom/secretKeyRef"));
                    }
                }));
            }
            assertThat(references).as(kustomization + ": secret references").isNotEmpty();
            for (JsonNode reference : references) {
                if (reference.path("optional").asBoolean(false)) {
                    continue; // used when the operator made it (the base's charon-jobs-secrets)
                }
                Path readme = kustomization.resolve("README.md");
                assertThat(readme).as(kustomization + " requires Secret " + reference.get("name").asText()).exists();
                assertThat(Files.readString(readme)).as(readme + " describes the Secret to create")
                        .contains(reference.get("name").asText(), reference.get("key").asText());
            }
        }
        assertThat(Files.readString(POSTGRESQL.resolve("README.md"))).contains("kubectl create secret");
    }

    /** On PostgreSQL, evictions for maintenance take one replica at a time, never the last ones. */
    @Test
    void thePostgresqlOverlayLetsDisruptionsTakeOneReplicaAtATime() throws IOException {
        Map<String, JsonNode> resources = render(POSTGRESQL);
        JsonNode budget = resources.get("PodDisruptionBudget/charon-jobs");
        JsonNode deployment = resources.get("Deployment/charon-jobs");

        assertThat(budget.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(budget.at("/spec/maxUnavailable").asInt()).isLessThan(deployment.at("/spec/replicas").asInt());
        assertThat(budget.at("/spec/selector/matchLabels")).as("the budget covers the Deployment's pods")
                .isEqualTo(deployment.at("/spec/template/metadata/labels"));
    }

    /**
     * The Prometheus example scrapes the Service's pods where the metrics are, with a token from a
     * Secret that its README tells how to create (no kustomization applies a Secret).
     */
    @Test
    void thePrometheusExampleScrapesTheMetricsWithATokenFromASecret() throws IOException {
        Map<String, JsonNode> base = render(K8S);
        Map<String, JsonNode> example = render(PROMETHEUS);
        JsonNode monitor = example.get("ServiceMonitor/charon-jobs");
        JsonNode service = base.get("Service/charon-jobs");
        JsonNode endpoint = monitor.at("/spec/endpoints/0");

        assertThat(example.keySet()).noneMatch(key -> key.startsWith("Secret/"));
        monitor.at("/spec/selector/matchLabels").fields().forEachRemaining(label -> assertThat(
                service.at("/metadata/labels").path(label.getKey()).asText()).as("the Service's label " + label.getKey())
                .isEqualTo(label.getValue().asText()));
        List<String> ports = new ArrayList<>();
        service.at("/spec/ports").forEach(port -> ports.add(port.get("name").asText()));
        assertThat(ports).as("the Service's port names").contains(endpoint.get("port").asText());
        assertThat(endpoint.get("path").asText()).isEqualTo("/q/metrics");
        // the packaged configuration (the test profile's default user reads everything)
        Properties properties = applicationProperties();
        assertThat(properties.getProperty("quarkus.http.auth.permission.metrics.paths")).contains(endpoint.get("path").asText());
        assertThat(properties.getProperty("quarkus.http.auth.permission.metrics.policy")).as("the metrics need a token")
                .isEqualTo("authenticated");
        assertThat(endpoint.at("/authorization/type").asText()).isEqualTo("Bearer");
        String secret = endpoint.at("/authorization/credentials/name").asText();
        String key = endpoint.at("/authorization/credentials/key").asText();
        assertThat(Files.readString(PROMETHEUS.resolve("README.md"))).as("README.md describes the Secret")
                .contains("kubectl create secret generic " + secret + " --from-literal=" + key + "=");
    }

    /**
     * The data directory holds the instance id, which names a replica as the owner of its runs'
     * leases, and a replica settles every run of its own id at start-up as left over from its
     * previous life: shared, it would settle the other replicas' running jobs. So the data and
     * work directories (and ansible's home) are each pod's own, and only the run logs, named by
     * job id and claim token, are shared, so that every replica serves and deletes every log.
     */
    @Test
    void onPostgresqlReplicasShareTheRunLogsAndNothingElse() throws IOException {
        Map<String, JsonNode> resources = render(POSTGRESQL);
        JsonNode pod = resources.get("Deployment/charon-jobs").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        Map<String, String> env = environment(resources);
        Map<String, JsonNode> volumes = volumes(pod);
        String dataDir = env.get("CHARON_JOBS_DATA_DIR");
        String workDir = env.getOrDefault("CHARON_ANSIBLE_WORK_DIR", dataDir + "/work");
        String home = dockerfileEnvironment(Path.of("src/main/docker/Dockerfile.jvm")).get("HOME");

        for (String own : List.of(dataDir + "/instance-id", workDir + "/some-run", home + "/.ansible")) {
            JsonNode volume = volumes.get(deepestMount(container, own).get("name").asText());
            assertThat(volume.has("emptyDir")).as(own + " is on a volume of the pod's own").isTrue();
        }
        JsonNode logsMount = deepestMount(container, dataDir + "/logs/some-job-1.log");
        assertThat(logsMount.get("mountPath").asText()).as("the shared volume holds the logs directory only")
                .isEqualTo(dataDir + "/logs");
        String claim = volumes.get(logsMount.get("name").asText()).at("/persistentVolumeClaim/claimName").asText();
        JsonNode logs = resources.get("PersistentVolumeClaim/" + claim);
        assertThat(logs).as("the logs claim " + claim).isNotNull();
        assertThat(logs.at("/spec/accessModes")).extracting(JsonNode::asText).containsExactly("ReadWriteMany");

        // the service makes the logs directory 0700 at every start, which only its owner may do:
        // an init container of the service user creates it before it is mounted by subPath
        String subPath = logsMount.path("subPath").asText();
        assertThat(subPath).as("the logs directory is a folder of the volume").isNotEmpty();
        List<JsonNode> creators = new ArrayList<>();
        pod.path("initContainers").forEach(init -> init.path("volumeMounts").forEach(m -> {
            if (m.get("name").asText().equals(logsMount.get("name").asText())) {
                String command = String.join(" ", texts(init.path("command"))) + " " + String.join(" ", texts(init.path("args")));
                if (command.contains(m.get("mountPath").asText() + "/" + subPath)) {
                    creators.add(init);
                }
            }
        }));
        assertThat(creators).as("an init container creates " + subPath + " on the logs volume").hasSize(1);
        JsonNode init = creators.get(0);
        assertThat(init.get("image")).isEqualTo(container.get("image"));
        assertThat(init.at("/securityContext/runAsUser").isMissingNode()).as("the init container runs as the pod's user")
                .isTrue();
        assertThat(init.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(init.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(volumes.get(deepestMount(container, "/tmp/x").get("name").asText()).has("emptyDir")).isTrue();
    }

    @Test
    void everyEnvironmentVariableIsAConfigurationKeyOfTheApplication() throws IOException {
        Map<String, String> known = knownEnvironmentVariables();
        Map<String, String> env = environment(render(K8S));
        env.putAll(environment(render(POSTGRESQL)));
        env.putAll(dockerfileEnvironment(Path.of("src/main/docker/Dockerfile.jvm")));
        env.putAll(dockerfileEnvironment(Path.of("src/main/docker/Dockerfile.native")));

        assertThat(env).containsKeys("CHARON_JOBS_DATA_DIR", "CHARON_ANSIBLE_PLAYBOOK_DIR", "CHARON_JOBS_MIN_FREE_DISK",
                "QUARKUS_PROFILE", "QUARKUS_DATASOURCE_POSTGRESQL_JDBC_URL", "QUARKUS_DATASOURCE_POSTGRESQL_PASSWORD");
        env.keySet().stream().filter(name -> name.startsWith("CHARON_") || name.startsWith("QUARKUS_"))
                .forEach(name -> assertThat(known).as(name + " names a configuration key").containsKey(name));
    }

    @Test
    void theTerminationGracePeriodCoversTheShutdown() throws IOException {
        for (Path kustomization : List.of(K8S, POSTGRESQL)) {
            Map<String, JsonNode> resources = render(kustomization);
            Duration shutdown = shutdown(environment(resources));

            int grace = resources.get("Deployment/charon-jobs").at("/spec/template/spec/terminationGracePeriodSeconds").asInt();

            assertThat(Duration.ofSeconds(grace)).as(kustomization.toString()).isGreaterThan(shutdown.plusSeconds(10));
        }
    }

    /**
     * Outside Kubernetes: the images' stop timeout (a label, since an image cannot set one; the
     * Dockerfile tells to pass it to docker stop -t) and the systemd unit's, whose KillMode must
     * leave the playbooks to the service.
     */
    @Test
    void theStopTimeoutsOfTheImagesAndTheSystemdUnitCoverTheShutdown() throws IOException {
        Duration shutdown = shutdown(Map.of());
        for (String file : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            String text = Files.readString(Path.of("src/main/docker", file));
            Matcher label = Pattern.compile("(?m)^LABEL io\\.charon\\.jobs\\.stop-timeout=\"(\\d+)\"$").matcher(text);
            assertThat(label.find()).as(file + " names its stop timeout").isTrue();
            Duration timeout = Duration.ofSeconds(Integer.parseInt(label.group(1)));
            assertThat(timeout).as(file).isGreaterThan(shutdown.plusSeconds(10));
            assertThat(text).as(file).containsPattern("(?m)^STOPSIGNAL SIGTERM$")
                    .contains("docker stop -t " + label.group(1)).contains("podman stop -t " + label.group(1));
        }

        Map<String, String> unit = new HashMap<>();
        Map<String, String> unitEnv = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("docs/charon-jobs.service"))) {
            Matcher setting = Pattern.compile("^(\\w+)=(.*)$").matcher(line);
            if (setting.matches()) {
                unit.put(setting.group(1), setting.group(2));
                if (setting.group(1).equals("Environment")) {
                    String[] pair = setting.group(2).split("=", 2);
                    unitEnv.put(pair[0], pair[1]);
                }
            }
        }
        assertThat(unit).as("SIGTERM to the service alone, SIGKILL to all after the timeout")
                .containsEntry("KillMode", "mixed").containsEntry("KillSignal", "SIGTERM");
        assertThat(Duration.ofSeconds(Integer.parseInt(unit.get("TimeoutStopSec")))).as("TimeoutStopSec")
                .isGreaterThan(shutdown(unitEnv).plusSeconds(10));
        assertThat(knownEnvironmentVariables()).as("the unit's settings").containsKeys(unitEnv.keySet().stream()
                .filter(name -> name.startsWith("CHARON_")).toArray(String[]::new));
    }

    /** One source: the cluster's playbooks ConfigMap is made from the project's playbooks, as the images are. */
    @Test
    void thePlaybooksConfigMapHoldsTheProjectsPlaybooks() throws IOException {
        Map<String, String> playbooks = new HashMap<>();
        try (var files = Files.list(Path.of("playbooks"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yml")).toList()) {
                playbooks.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        assertThat(playbooks).containsKey("hello.yml");
        for (Path kustomization : List.of(K8S, POSTGRESQL)) {
            Map<String, String> data = new HashMap<>();
            render(kustomization).get("ConfigMap/charon-jobs-playbooks").get("data").fields()
                    .forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
            assertThat(data).as(kustomization.toString()).isEqualTo(playbooks);
        }
    }

    /**
     * The images' build context is the project folder: .dockerignore keeps everything from it but
     * what the Dockerfiles copy (checked here with the rules the builder applies: the last
     * matching line decides, and a line also matches everything below a folder it matches).
     */
    @Test
    void theBuildContextHoldsWhatTheImagesCopyAndNothingElse() throws IOException {
        List<String> rules = Files.readAllLines(Path.of(".dockerignore")).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        Set<String> copied = new HashSet<>();
        for (String file : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            Matcher copy = Pattern.compile("(?m)^COPY (?:--(?!from=)\\S+ )*(\\S+) \\S+$")
                    .matcher(Files.readString(Path.of("src/main/docker", file)));
            while (copy.find()) {
                copied.add(copy.group(1));
            }
        }
        assertThat(copied).contains("target/quarkus-app/lib/", "target/*-runner", "playbooks/");
        for (String source : copied) {
            // a file that the COPY line takes: its pattern's wildcards filled in, or a file in its folder
            String file = source.replace("*", "charon-jobs") + (source.endsWith("/") ? "hello.yml" : "");
            assertThat(ignored(rules, file)).as(file + " goes to the builder").isFalse();
        }
        for (String other : List.of(".git/config", "data/charon-jobs.db", "target/chaos/1/runs.txt", "target/classes/x.class",
                "src/main/java/io/charon/jobs/CharonJobsMain.java", "bench/results/x.txt", "k8s/base/pvc.yaml",
                "playbooks/kustomization.yaml")) {
            assertThat(ignored(rules, other)).as(other + " stays out of the build context").isTrue();
        }
    }

    /** Whether .dockerignore's {@code rules} keep {@code path} out: the last rule that matches it or a folder above it. */
    private static boolean ignored(List<String> rules, String path) {
        boolean ignored = false;
        for (String rule : rules) {
            boolean exception = rule.startsWith("!");
            String pattern = (exception ? rule.substring(1) : rule).replaceAll("/+$", "");
            var matcher = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            Path candidate = Path.of(path);
            for (Path p = candidate; p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    ignored = !exception;
                    break;
                }
            }
        }
        return ignored;
    }

    /** Shutdown delay + shutdown grace + kill grace, from {@code env} or the defaults. */
    private static Duration shutdown(Map<String, String> env) {
        return SHUTDOWN_DEFAULTS.keySet().stream().map(name -> duration(env.getOrDefault(name, SHUTDOWN_DEFAULTS.get(name))))
                .reduce(Duration.ZERO, Duration::plus);
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

    /** What kustomize builds from {@code dir}, by kind and name, as a cluster receives it. */
    private static Map<String, JsonNode> render(Path dir) throws IOException {
        try {
            return Kustomize.build(dir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static Map<String, JsonNode> volumes(JsonNode pod) {
        Map<String, JsonNode> volumes = new HashMap<>();
        pod.path("volumes").forEach(v -> volumes.put(v.get("name").asText(), v));
        return volumes;
    }

    private static JsonNode envEntry(JsonNode container, String name) {
        for (JsonNode entry : container.path("env")) {
            if (entry.get("name").asText().equals(name)) {
                return entry;
            }
        }
        return null;
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

    /**
     * Environment variable name to configuration key, for every key of {@link #ROOTS}; a key of a
     * named datasource is taken for the application's PostgreSQL datasource.
     */
    private static Map<String, String> knownEnvironmentVariables() {
        Map<String, String> known = new HashMap<>();
        ROOTS.forEach((root, prefix) -> ConfigMappings.getProperties(new ConfigMappings.ConfigClass(root, prefix)).keySet()
                .stream().map(key -> key.replace("[*]", "").replace(".*.", "." + Store.POSTGRESQL + "."))
                .forEach(key -> known.put(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), key)));
        Set<String> charon = new HashSet<>(known.values());
        charon.removeIf(key -> !key.startsWith("charon."));
        assertThat(charon).as("the application's own keys").contains("charon.jobs.worker-count",
                "charon.jobs.min-free-disk", "charon.ansible.command");
        assertThat(known.values()).as("the PostgreSQL store's keys").contains("quarkus.profile",
                "quarkus.datasource.postgresql.jdbc.url", "quarkus.datasource.postgresql.username",
                "quarkus.datasource.postgresql.password");
        return known;
    }

    /** The mount whose path holds {@code dir}. */
    private static String mountHolding(Map<String, JsonNode> mounts, String dir) {
        List<String> holding = new ArrayList<>(mounts.keySet());
        holding.removeIf(mount -> !dir.startsWith(mount + "/"));
        assertThat(holding).as("a volume holds " + dir).hasSize(1);
        return holding.get(0);
    }

    /** The innermost mount of {@code container} that {@code path} lies in: the volume a file there is written to. */
    private static JsonNode deepestMount(JsonNode container, String path) {
        JsonNode deepest = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            String at = mount.get("mountPath").asText();
            if ((path.equals(at) || path.startsWith(at + "/"))
                    && (deepest == null || at.length() > deepest.get("mountPath").asText().length())) {
                deepest = mount;
            }
        }
        assertThat(deepest).as("a volume holds " + path).isNotNull();
        return deepest;
    }

    private static Duration duration(String text) {
        return DurationConverter.parseDuration(text);
    }
}
