package io.charon.jobs.workflow;

import io.charon.jobs.job.Job;
import io.charon.jobs.persistence.JsonColumns;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a node's job hands on through a run: its artifacts, as CEL values for the conditions of its
 * edges, and as variables for the jobs of the nodes after it.
 */
final class HandedOn {

    private HandedOn() {
    }

    /**
     * The variables a node's job receives from the nodes before it along taken edges: the
     * artifacts of each, a nearer node's overriding a farther one's, and of two at the same
     * distance, that of the edge listed first. A string stays as it is; any other value
     * (number, boolean, list, object, null) goes as its JSON text, as a template parameter does.
     *
     * @param jobOf the job a node launched, null for a node without one
     */
    static Map<String, String> variables(WorkflowRun run, String nodeId, Function<String, Job> jobOf) {
        List<WorkflowEdge> edges = run.definition().edges();
        List<String> nearestFirst = new ArrayList<>();
        Set<String> seen = new HashSet<>(List.of(nodeId));
        Deque<String> next = new ArrayDeque<>(List.of(nodeId));
        while (!next.isEmpty()) {
            String to = next.poll();
            for (int i = 0; i < edges.size(); i++) {
                String from = edges.get(i).from();
                if (edges.get(i).to().equals(to) && run.edges().get(i).isTaken() && seen.add(from)) {
                    nearestFirst.add(from);
                    next.add(from);
                }
            }
        }
        Map<String, String> variables = new TreeMap<>();
        for (int i = nearestFirst.size() - 1; i >= 0; i--) {
            Job job = jobOf.apply(nearestFirst.get(i));
            if (job != null) {
                job.getArtifacts().forEach((name, value) ->
                        variables.put(name, value instanceof String text ? text : JsonColumns.write(value)));
            }
        }
        return variables;
    }

    /** A job's artifacts as CEL values: whole numbers as int, other numbers as double, null as CEL's null. */
    static Map<String, Object> conditionValues(Job job) {
        return job == null ? Map.of() : celMap(job.getArtifacts());
    }

    private static Map<String, Object> celMap(Map<?, ?> map) {
        Map<String, Object> values = new LinkedHashMap<>();
        map.forEach((key, value) -> values.put(String.valueOf(key), celValue(value)));
        return values;
    }

    private static Object celValue(Object value) {
        if (value == null) {
            return com.google.protobuf.NullValue.NULL_VALUE;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger || value instanceof BigDecimal || value instanceof Float || value instanceof Double) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Map<?, ?> map) {
            return celMap(map);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(HandedOn::celValue).toList();
        }
        return value;
    }
}
