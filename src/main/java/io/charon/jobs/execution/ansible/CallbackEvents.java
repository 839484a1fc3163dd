package io.charon.jobs.execution.ansible;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charon.jobs.job.DiffEntry;
import io.charon.jobs.job.HostStats;
import io.charon.jobs.job.RunDiff;
import io.charon.jobs.execution.ProgressListener;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads the callback plugin's JSON lines of one run: forwards task starts and host results as
 * progress, remembers each host's failure or unreachability (for the job's error message), the
 * play recap, the artifacts the playbook published and, under check mode, its diffs, each within
 * its size limit. The lines reach it with the job's secrets already masked.
 */
final class CallbackEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> ARTIFACTS = new TypeReference<>() {
    };
    /** Bounds of the error message: one host's reason, and the whole summary. */
    static final int HOST_REASON_LIMIT = 300;
    static final int SUMMARY_LIMIT = 2000;
    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/=]+");
    private static final Pattern KEY_ADDED =
            Pattern.compile("Warning: Permanently added \\S+ \\(\\S+\\) to the list of known hosts\\.");

    /** Colour codes, should a diff carry any: never stored. */
    private static final Pattern ANSI = Pattern.compile("\\u001B\\[[0-9;]*[A-Za-z]");

    private final ProgressListener listener;
    /** Per host: what ended it (its last failure counts). */
    private final Map<String, String> problems = new LinkedHashMap<>();
    private SortedMap<String, HostStats> stats;
    private final Limits limits;
    /** Writes a line of the service's own to the job's log. */
    private final Consumer<String> logNote;
    private Map<String, Object> artifacts = Map.of();
    private final List<DiffEntry> diffs = new ArrayList<>();
    private long diffBytes;
    /** Whether an entry was left out, or cut short by the plugin. */
    private boolean diffTruncated;
    /** Whether an entry did not fit: every later one is left out too, so the diff keeps its order. */
    private boolean diffFull;

    /**
     * @param artifactsMaxBytes the largest artifacts kept, as JSON
     * @param diffMaxBytes      the most diff text kept over all entries
     */
    record Limits(int artifactsMaxBytes, int diffMaxBytes) {
    }

    CallbackEvents(ProgressListener listener) {
        this(listener, new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE), line -> {
        });
    }

    CallbackEvents(ProgressListener listener, Limits limits, Consumer<String> logNote) {
        this.listener = listener;
        this.limits = limits;
        this.logNote = logNote;
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
                if (result.equals("failed") || result.equals("unreachable")) {
                    problems.put(host, result.equals("failed")
                            ? "task '" + task + "' failed on host " + host + reason(message)
                            : "host " + host + " was unreachable in task '" + task + "'" + reason(unreachableReason(message)));
                }
            }
            case "stats" -> stats = hostStats(event.path("hosts"));
            case "artifacts" -> artifacts(event.path("artifacts"));
            case "diff" -> diff(host, task, event.path("diff").asText(""), event.path("truncated").asBoolean());
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Every host that failed or was unreachable, each with what ended it, bounded to
     * {@value #SUMMARY_LIMIT} characters; null when none did. With the play recap, only the hosts
     * it counts as failed or unreachable (a rescued or ignored failure is neither).
     */
    String failureSummary() {
        List<String> hosts = new ArrayList<>(new TreeMap<>(problems).keySet());
        if (stats != null) {
            hosts.removeIf(host -> stats.containsKey(host) && stats.get(host).failed() == 0
                    && stats.get(host).unreachable() == 0);
            stats.forEach((host, s) -> {
                if ((s.failed() > 0 || s.unreachable() > 0) && !hosts.contains(host)) {
                    hosts.add(host);
                }
            });
            hosts.sort(null);
        }
        if (hosts.isEmpty()) {
            return null;
        }
        List<String> described = hosts.stream().map(host -> problems.getOrDefault(host, "host " + host
                + (stats != null && stats.get(host).unreachable() > 0 ? " was unreachable" : " failed"))).toList();
        if (described.size() == 1) {
            return bounded(described.get(0), SUMMARY_LIMIT);
        }
        StringBuilder summary = new StringBuilder(described.size() + " hosts failed or were unreachable: ");
        int start = summary.length();
        for (int i = 0; i < described.size(); i++) {
            String next = (summary.length() > start ? "; " : "") + described.get(i);
            String more = "; and " + (described.size() - i) + " more";
            if (summary.length() + next.length() + more.length() > SUMMARY_LIMIT) {
                summary.append(more);
                break;
            }
            summary.append(next);
        }
        return summary.toString();
    }

    SortedMap<String, HostStats> stats() {
        return stats;
    }

    /** What the playbook published with {@code set_stats}; empty when nothing, or nothing within the limit. */
    Map<String, Object> artifacts() {
        return artifacts;
    }

    /** The run's diff entries, in the order reported, and whether the limit left some out. */
    RunDiff diff() {
        return new RunDiff(diffTruncated, diffs);
    }

    /** Keeps the artifacts within the limit; over it, keeps none and says so in the log and an event. */
    private void artifacts(JsonNode published) {
        if (!published.isObject()) {
            return;
        }
        int bytes = published.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.artifactsMaxBytes()) {
            artifacts = Map.of();
            String note = "artifacts not kept: " + bytes + " bytes of JSON, over the limit of "
                    + limits.artifactsMaxBytes() + " (charon.jobs.artifacts-max-bytes)";
            logNote.accept("charon-jobs: " + note);
            listener.onProgress(note, MAPPER.createObjectNode().put("event", "artifacts_not_kept").put("bytes", bytes)
                    .put("limit", limits.artifactsMaxBytes()).toString());
            return;
        }
        artifacts = MAPPER.convertValue(published, ARTIFACTS);
    }

    /**
     * Adds an entry while the diff stays within its limit; the first that does not ends the diff,
     * truncated. An entry the plugin cut short is kept, and makes the diff truncated too.
     */
    private void diff(String host, String task, String text, boolean cut) {
        if (diffFull) {
            return;
        }
        String plain = ANSI.matcher(text).replaceAll("");
        long bytes = (host + task + plain).getBytes(StandardCharsets.UTF_8).length;
        if (diffBytes + bytes > limits.diffMaxBytes()) {
            diffFull = true;
            diffTruncated = true;
            return;
        }
        diffBytes += bytes;
        diffs.add(new DiffEntry(host, task, plain));
        diffTruncated |= cut;
    }

    private static String reason(String message) {
        return message.isEmpty() ? "" : ": " + bounded(message, HOST_REASON_LIMIT);
    }

    /**
     * ssh's reason in one line: its multi-line warnings reduced to what they say, without the
     * banner, the advice and the run directory's paths.
     */
    static String unreachableReason(String message) {
        if (message.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")) {
            String before = message.substring(0, message.indexOf('@') >= 0 ? message.indexOf('@') : 0).strip();
            Matcher fingerprint = FINGERPRINT.matcher(message);
            return (before.isEmpty() ? "" : before + " ")
                    + "REMOTE HOST IDENTIFICATION HAS CHANGED: the host's key"
                    + (fingerprint.find() ? " (" + fingerprint.group() + ")" : "")
                    + " is not the known one. Host key verification failed.";
        }
        StringBuilder line = new StringBuilder();
        for (String part : message.split("\\r?\\n|\\r")) {
            String text = part.strip();
            if (!text.isEmpty()) {
                line.append(line.length() > 0 ? " " : "").append(text);
            }
        }
        // under accept-new and off, ssh's note of a key it recorded precedes its reason
        return KEY_ADDED.matcher(line).replaceAll("").replaceAll("\\s+", " ").strip();
    }

    private static String bounded(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit - 3) + "...";
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
