package io.charon.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import io.charon.jobs.support.Kustomize;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every object that {@code k8s/}, its overlays and examples render to (with kustomize, as
 * {@code kubectl apply -k} does) is read strictly with the Kubernetes object model, which is
 * generated from the Kubernetes API's schemas: a field the schema lacks (a misspelling, a field at
 * the wrong level) or a value of the wrong type fails here rather than being dropped, or refused,
 * by the cluster. {@link K8sManifestTest} checks what the objects mean for the application.
 */
@Tag("store-independent") // reads files only
class ManifestSchemaTest {

    private static final Path K8S = Path.of("k8s");
    private static final Path POSTGRESQL = K8S.resolve("overlays/postgresql");
    private static final Path PROMETHEUS = K8S.resolve("examples/prometheus");
    /** Every kustomization of the project that a cluster may be given. */
    private static final List<Path> KUSTOMIZATIONS = List.of(K8S, POSTGRESQL, PROMETHEUS);
    /** The kinds the manifests use, with the model of each; any other kind fails until added here. */
    private static final Map<String, Class<? extends HasMetadata>> MODELS = Map.of(
            "Deployment", Deployment.class,
            "Service", Service.class,
            "ConfigMap", ConfigMap.class,
            "PersistentVolumeClaim", PersistentVolumeClaim.class,
            "PodDisruptionBudget", PodDisruptionBudget.class,
            "ServiceMonitor", ServiceMonitor.class);
    /**
     * The model keeps unknown fields aside (its "additional properties") so that a client
     * tolerates newer servers; for a manifest that is what must not happen. Without that
     * catch-all, Jackson refuses an unknown field, naming it with its path.
     */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    @Test
    void everyRenderedObjectMatchesItsSchema() throws Exception {
        List<String> kinds = new ArrayList<>();
        for (Path kustomization : KUSTOMIZATIONS) {
            Map<String, JsonNode> objects = Kustomize.build(kustomization);
            assertThat(objects).as(kustomization.toString()).isNotEmpty();
            objects.forEach((key, object) -> {
                assertThat(problems(object)).as(kustomization + ": " + key).isEmpty();
                kinds.add(object.get("kind").asText());
            });
        }
        assertThat(kinds).as("every model is used, so none is left unchecked").containsAll(MODELS.keySet());
    }

    /** The test can fail: a misspelled field planted in a copy of the manifests is found, in the base and in the overlay built on it. */
    @Test
    void aMisspelledFieldFails(@TempDir Path copy) throws Exception {
        copyTree(K8S, copy.resolve("k8s"));
        copyTree(Path.of("playbooks"), copy.resolve("playbooks")); // the base's playbooks ConfigMap
        Path deployment = copy.resolve("k8s/base/deployment.yaml");
        String text = Files.readString(deployment);
        assertThat(text).contains("readinessProbe:");
        Files.writeString(deployment, text.replace("readinessProbe:", "readinesProbe:"));

        for (Path kustomization : List.of(copy.resolve("k8s"), copy.resolve("k8s/overlays/postgresql"))) {
            JsonNode planted = Kustomize.build(kustomization).get("Deployment/charon-jobs");
            assertThat(problems(planted)).as(kustomization.toString()).singleElement().asString()
                    .contains("spec.template.spec.containers[0].readinesProbe");
        }
    }

    @Test
    void aValueOfTheWrongTypeOrAnUnknownKindFails() throws IOException {
        JsonNode pvc = STRICT.readTree("{\"apiVersion\": \"v1\", \"kind\": \"PersistentVolumeClaim\","
                + " \"metadata\": {\"name\": \"x\"}, \"spec\": {\"accessModes\": {\"mode\": \"ReadWriteOnce\"}}}");
        assertThat(problems(pvc)).singleElement().asString().contains("spec.accessModes");
        JsonNode wrongVersion = STRICT.readTree("{\"apiVersion\": \"apps/v1beta1\", \"kind\": \"Deployment\", \"metadata\": {\"name\": \"x\"}}");
        assertThat(problems(wrongVersion)).singleElement().asString().contains("apps/v1");
        JsonNode unknown = STRICT.readTree("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"x\"}}");
        assertThat(problems(unknown)).singleElement().asString().contains("no model");
    }

    /** What the schema of the object's kind refuses in it; empty when the object is valid. */
    private static List<String> problems(JsonNode object) {
        String kind = object.path("kind").asText();
        Class<? extends HasMetadata> model = MODELS.get(kind);
        if (model == null) {
            return List.of("kind " + kind + ": no model here; add one to MODELS");
        }
        List<String> problems = new ArrayList<>();
        String apiVersion = HasMetadata.getApiVersion(model);
        if (!apiVersion.equals(object.path("apiVersion").asText())) {
            problems.add("apiVersion " + object.path("apiVersion").asText() + " is not " + apiVersion);
        }
        try {
            STRICT.treeToValue(object, model);
        } catch (JsonMappingException e) {
            problems.add(path(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (JsonProcessingException e) {
            problems.add(e.getOriginalMessage());
        }
        return problems;
    }

    /** The field's path as kubectl names it: {@code spec.template.spec.containers[0].readinesProbe}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
