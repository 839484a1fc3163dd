package io.charon.jobs.execution.ansible;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charon.jobs.job.HostStats;
import io.charon.jobs.execution.ProgressListener;

import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the callback plugin's JSON lines of one run: forwards task starts and host results as
 * progress, remembers the first failure (for the job's error message) and the play recap.
 */
final class CallbackEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ProgressListener listener;
    private String firstFailure;
    private SortedMap<String, HostStats> stats;

    CallbackEvents(ProgressListener listener) {
        this.listener = listener;
    }

    /** @return false when the line is not an event of the plugin */
    boolean accept(String json) {
        JsonNode event;
        try {
            event = MAPPER.readTree(json);
        } catch (Exception e) {
            return false;
        }
        if (event == null || !event.isObject()) {
            return false;
        }
        String task = event.path("task").asText("");
        String host = event.path("host").asText("");
        switch (event.path("event").asText("")) {
            case "play_start" -> listener.onProgress("play: " + event.path("play").asText(""), json);
            case "task_start" -> listener.onProgress("task: " + task, json);
            case "host_result" -> {
                String result = event.path("result").asText("");
                String message = event.path("message").asText("");
                listener.onProgress(result + ": [" + host + "] " + task + (message.isEmpty() ? "" : ": " + message), json);
                if (firstFailure == null && (result.equals("failed") || result.equals("unreachable"))) {
                    firstFailure = (result.equals("failed")
                            ? "task '" + task + "' failed on host " + host
                            : "host " + host + " was unreachable in task '" + task + "'")
                            + (message.isEmpty() ? "" : ": " + message);
                }
            }
            case "stats" -> stats = hostStats(event.path("hosts"));
            default -> {
                return false;
            }
        }
        return true;
    }

    String firstFailure() {
        return firstFailure;
    }

    SortedMap<String, HostStats> stats() {
        return stats;
    }

    private static SortedMap<String, HostStats> hostStats(JsonNode hosts) {
        SortedMap<String, HostStats> result = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = hosts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode s = entry.getValue();
            result.put(entry.getKey(), new HostStats(s.path("ok").asInt(), s.path("changed").asInt(),
                    s.path("failed").asInt(), s.path("skipped").asInt(), s.path("unreachable").asInt(),
                    s.path("rescued").asInt(), s.path("ignored").asInt()));
        }
        return result;
    }
}
