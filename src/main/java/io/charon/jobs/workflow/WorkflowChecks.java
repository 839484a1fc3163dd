package io.charon.jobs.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.StoredNames;
import io.charon.jobs.security.ApiTokens;
import io.charon.jobs.security.Ownership;
import io.charon.jobs.security.Role;
import io.charon.jobs.template.LaunchRequest;
import io.charon.jobs.template.Template;
import io.charon.jobs.template.TemplateLauncher;
import io.charon.jobs.template.TemplateNotFoundException;
import io.charon.jobs.template.TemplateParameter;
import io.charon.jobs.template.Templates;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a workflow is sound, with every problem at once: its name; each node's id (given once),
 * kind (a template or an approval, not both), template (one that exists) and parameters (checked
 * as a launch of that template would be, and none of them secret: a workflow is stored in clear)
 * or approval (approvers who hold an operator's token, a timeout within bounds); each edge's ends (nodes of the workflow,
 * one edge per pair), trigger and condition (it compiles); and the graph: no cycle, and every
 * node reachable from a root (a node no edge leads to).
 */
@ApplicationScoped
class WorkflowChecks {

    static final int MAX_NODES = 200;
    static final int MAX_EDGES = 1_000;
    static final int MAX_DESCRIPTION = 4_000;

    private final Templates templates;
    private final TemplateLauncher launcher;
    private final ApiTokens tokens;

    WorkflowChecks(Templates templates, TemplateLauncher launcher, ApiTokens tokens) {
        this.templates = templates;
        this.launcher = launcher;
        this.tokens = tokens;
    }

    /**
     * The definition with its {@code allowedUsers} as checked.
     *
     * @throws InvalidInputException with every problem of the definition
     */
    WorkflowDefinition checked(WorkflowDefinition definition) {
        if (definition == null) {
            throw new InvalidInputException("body", "a JSON object describing the workflow is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (definition.name() == null || !StoredNames.NAME.matcher(definition.name()).matches()) {
            errors.add(new FieldError("name", StoredNames.RULE));
        }
        if (definition.description() != null && definition.description().length() > MAX_DESCRIPTION) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
        List<String> allowed = Ownership.sharedWith("allowedUsers", definition.allowedUsers(), errors);
        Set<String> ids = nodes(definition.nodes(), errors);
        List<int[]> links = edges(definition.edges(), definition.nodes(), errors);
        graph(definition.nodes(), ids, links, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return definition.allowing(allowed);
    }

    /** Checks the nodes; returns the ids given once and well formed. */
    private Set<String> nodes(List<WorkflowNode> nodes, List<FieldError> errors) {
        if (nodes.isEmpty()) {
            errors.add(new FieldError("nodes", "must list at least one node"));
        } else if (nodes.size() > MAX_NODES) {
            errors.add(new FieldError("nodes", "must list at most " + MAX_NODES + " nodes"));
            return Set.of();
        }
        Set<String> ids = new HashSet<>();
        Set<String> repeated = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            String at = "nodes[" + i + "]";
            WorkflowNode node = nodes.get(i);
            if (node == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            if (node.id() == null || !StoredNames.NAME.matcher(node.id()).matches()) {
                errors.add(new FieldError(at + ".id", StoredNames.RULE));
            } else if (!ids.add(node.id())) {
                repeated.add(node.id());
                errors.add(new FieldError(at + ".id", "names node " + node.id() + " again: ids are unique"));
            }
            if (node.convergence() != null && Convergence.fromWireName(node.convergence()).isEmpty()) {
                errors.add(new FieldError(at + ".convergence", "must be one of " + Convergence.WIRE_NAMES));
            }
            if (node.template() != null && node.awaitsApproval()) {
                errors.add(new FieldError(at, "names both a template and an approval: a node is one or the other"));
            } else if (node.awaitsApproval()) {
                approval(at, node, errors);
            } else if (node.template() == null) {
                errors.add(new FieldError(at, "must name the job template it launches, or be an approval"));
            } else {
                template(at, node, errors);
            }
        }
        ids.removeAll(repeated);
        return ids;
    }

    /**
     * The approval's description fits, its approvers are users who may decide (each holds an
     * operator's or an admin's token), and its timeout, if any, is an ISO-8601 duration in bounds.
     */
    private void approval(String at, WorkflowNode node, List<FieldError> errors) {
        Approval approval = node.approval();
        if (node.parameters() != null) {
            errors.add(new FieldError(at + ".parameters", "belong to a template node: an approval launches nothing"));
        }
        if (node.mode() != null) {
            errors.add(new FieldError(at + ".mode", "belongs to a template node: an approval runs nothing"));
        }
        if (approval.description() != null && approval.description().length() > Approval.MAX_DESCRIPTION) {
            errors.add(new FieldError(at + ".approval.description", "must be at most " + Approval.MAX_DESCRIPTION
                    + " characters"));
        }
        List<String> approvers = approval.approvers();
        if (approvers.isEmpty() || approvers.size() > Approval.MAX_APPROVERS) {
            errors.add(new FieldError(at + ".approval.approvers", "must list 1 to " + Approval.MAX_APPROVERS
                    + " users who may decide"));
        } else {
            // each ill-formed id has its error from here; the others are looked for among the tokens
            List<String> named = Ownership.sharedWith(at + ".approval.approvers", approvers, errors);
            Set<String> unknown = tokens.withoutToken(named.stream()
                    .filter(user -> ApiTokens.USER.matcher(user).matches()).toList(), Role.OPERATOR);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < approvers.size(); i++) {
                String approver = approvers.get(i);
                if (approver != null && !seen.add(approver)) {
                    errors.add(new FieldError(at + ".approval.approvers[" + i + "]", "names " + approver + " again"));
                } else if (unknown.contains(approver)) {
                    errors.add(new FieldError(at + ".approval.approvers[" + i + "]", "names no user who may decide:"
                            + " no operator or admin token of " + approver + " is valid"));
                }
            }
        }
        if (approval.timeout() != null) {
            Duration timeout = null;
            try {
                timeout = Duration.parse(approval.timeout());
            } catch (DateTimeParseException e) {
                errors.add(new FieldError(at + ".approval.timeout", "must be an ISO-8601 duration such as PT4H"));
            }
            if (timeout != null && (timeout.compareTo(Approval.SHORTEST_TIMEOUT) < 0
                    || timeout.compareTo(Approval.LONGEST_TIMEOUT) > 0)) {
                errors.add(new FieldError(at + ".approval.timeout", "must be from PT1S to P30D"));
            }
        }
    }

    /** The node's template exists and launches with the node's parameters, none of them secret. */
    private void template(String at, WorkflowNode node, List<FieldError> errors) {
        Template template;
        try {
            template = templates.get(node.template(), null, true);
        } catch (TemplateNotFoundException e) {
            errors.add(new FieldError(at + ".template", "no template named " + node.template()));
            return;
        }
        Map<String, JsonNode> parameters = node.parametersOrNone();
        for (TemplateParameter parameter : template.definition().parameters()) {
            if (parameter.isSecret() && parameters.containsKey(parameter.name())) {
                errors.add(new FieldError(at + ".parameters." + parameter.name(),
                        "is a secret: a workflow is stored in clear and cannot give it"));
            }
        }
        try {
            launcher.spec(template.definition(), template.version(),
                    new LaunchRequest(parameters, null, null, null, null, node.mode()));
        } catch (InvalidInputException e) {
            e.errors().forEach(error -> errors.add(new FieldError(at + "." + error.field(), error.reason())));
        }
    }

    /** Checks the edges; returns those whose ends are known nodes, as pairs of node indexes. */
    private static List<int[]> edges(List<WorkflowEdge> edges, List<WorkflowNode> nodes, List<FieldError> errors) {
        if (edges.size() > MAX_EDGES) {
            errors.add(new FieldError("edges", "must list at most " + MAX_EDGES + " edges"));
            return List.of();
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) != null && nodes.get(i).id() != null) {
                index.putIfAbsent(nodes.get(i).id(), i);
            }
        }
        List<int[]> links = new ArrayList<>();
        Set<List<String>> pairs = new HashSet<>();
        for (int i = 0; i < edges.size(); i++) {
            String at = "edges[" + i + "]";
            WorkflowEdge edge = edges.get(i);
            if (edge == null) {
                errors.add(new FieldError(at, "must be an object"));
                continue;
            }
            boolean known = true;
            for (String end : List.of("from", "to")) {
                String id = end.equals("from") ? edge.from() : edge.to();
                if (id == null || !index.containsKey(id)) {
                    errors.add(new FieldError(at + "." + end, id == null ? "must name a node"
                            : "names no node of this workflow: " + id));
                    known = false;
                }
            }
            if (edge.on() != null && Trigger.fromWireName(edge.on()).isEmpty()) {
                errors.add(new FieldError(at + ".on", "must be one of " + Trigger.WIRE_NAMES));
            }
            if (edge.when() != null) {
                if (edge.when().length() > Conditions.MAX_LENGTH) {
                    errors.add(new FieldError(at + ".when", "must be at most " + Conditions.MAX_LENGTH + " characters"));
                } else {
                    Conditions.problem(edge.when()).ifPresent(problem ->
                            errors.add(new FieldError(at + ".when", "does not compile: " + problem)));
                }
            }
            if (known && !pairs.add(List.of(edge.from(), edge.to()))) {
                errors.add(new FieldError(at, "joins " + edge.from() + " to " + edge.to()
                        + " again: one edge per pair of nodes (on: always follows either end)"));
            } else if (known) {
                links.add(new int[]{index.get(edge.from()), index.get(edge.to())});
            }
        }
        return links;
    }

    /** No cycle, and every node reachable from a root. */
    private static void graph(List<WorkflowNode> nodes, Set<String> ids, List<int[]> links, List<FieldError> errors) {
        int n = nodes.size();
        List<List<Integer>> next = new ArrayList<>();
        int[] incoming = new int[n];
        for (int i = 0; i < n; i++) {
            next.add(new ArrayList<>());
        }
        for (int[] link : links) {
            next.get(link[0]).add(link[1]);
            incoming[link[1]]++;
        }
        // Kahn: what cannot be ordered lies on a cycle or behind one
        int[] left = incoming.clone();
        Deque<Integer> ready = new ArrayDeque<>();
        boolean[] reached = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (left[i] == 0) {
                ready.add(i);
            }
        }
        List<Integer> roots = new ArrayList<>(ready);
        while (!ready.isEmpty()) {
            int node = ready.poll();
            for (int child : next.get(node)) {
                if (--left[child] == 0) {
                    ready.add(child);
                }
            }
        }
        Map<String, Integer> unordered = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            if (left[i] > 0 && nodes.get(i) != null) {
                unordered.put(nodes.get(i).id(), i);
            }
        }
        if (!unordered.isEmpty()) {
            errors.add(new FieldError("edges", "form a cycle: a workflow is a directed acyclic graph; nodes on or"
                    + " behind the cycle: " + String.join(", ", unordered.keySet())));
        }
        Deque<Integer> walk = new ArrayDeque<>(roots);
        roots.forEach(root -> reached[root] = true);
        while (!walk.isEmpty()) {
            for (int child : next.get(walk.poll())) {
                if (!reached[child]) {
                    reached[child] = true;
                    walk.add(child);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (!reached[i] && nodes.get(i) != null && ids.contains(nodes.get(i).id())) {
                errors.add(new FieldError("nodes[" + i + "]", "is not reachable from a root (a node no edge leads to)"));
            }
        }
    }
}
