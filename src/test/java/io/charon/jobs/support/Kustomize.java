package io.charon.jobs.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code kubectl kustomize} builds from a kustomization, as a cluster would receive it.
 * kubectl is on every machine of the project's kind (developers' and CI's); where it is missing
 * the tests that render fail, saying so, rather than checking a rendering of their own.
 */
public final class Kustomize {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Kustomize() {
    }

    /** The objects built from {@code dir}, by "Kind/name", in kustomize's order. */
    public static Map<String, JsonNode> build(Path dir) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("kustomize", ".err");
        try {
            Process kubectl;
            try {
                kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                        .redirectError(errors.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("kubectl renders the manifests (kubectl kustomize): install it", e);
            }
            String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed: " + Files.readString(errors));
            }
            Map<String, JsonNode> objects = new LinkedHashMap<>();
            List<JsonNode> documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(output).readAll();
            for (JsonNode object : documents) {
                String key = object.path("kind").asText() + "/" + object.at("/metadata/name").asText();
                if (objects.put(key, object) != null) {
                    throw new AssertionError(dir + " renders " + key + " twice");
                }
            }
            return objects;
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
