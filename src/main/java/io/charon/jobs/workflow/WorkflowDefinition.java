package io.charon.jobs.workflow;

import java.util.List;
import java.util.Optional;

/**
 * A workflow as its request gives it and as each version is stored: a graph of {@code nodes}
 * joined by {@code edges}, and {@code allowedUsers}, the operators who may launch it (none: every
 * operator).
 */
public record WorkflowDefinition(
        String name,
        String description,
        List<WorkflowNode> nodes,
        List<WorkflowEdge> edges,
        List<String> allowedUsers) {

    public WorkflowDefinition {
        nodes = nodes == null ? List.of() : nodes;
        edges = edges == null ? List.of() : edges;
        allowedUsers = allowedUsers == null ? List.of() : allowedUsers;
    }

    /** The same definition under {@code name} (a replacement takes its name from the path). */
    WorkflowDefinition named(String name) {
        return new WorkflowDefinition(name, description, nodes, edges, allowedUsers);
    }

    /** The same definition with {@code allowedUsers} as checked. */
    WorkflowDefinition allowing(List<String> users) {
        return new WorkflowDefinition(name, description, nodes, edges, users);
    }

    /** The node of that id; the definition was checked, so it exists. */
    WorkflowNode node(String id) {
        return find(id).orElseThrow();
    }

    /** The node of that id, if there is one (an id from a request). */
    Optional<WorkflowNode> find(String id) {
        return nodes.stream().filter(node -> node.id().equals(id)).findFirst();
    }

    /** Whether a node has no edge leading to it: it starts when the run does. */
    boolean isRoot(String id) {
        return edges.stream().noneMatch(edge -> edge.to().equals(id));
    }
}
