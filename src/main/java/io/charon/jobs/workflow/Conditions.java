package io.charon.jobs.workflow;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Edge conditions, in CEL (the Common Expression Language): compiled when a workflow is stored,
 * over the declared variables of a parent node's result, to a boolean; evaluated when the parent
 * ends. CEL has no side effects and no unbounded loops; comprehensions are capped in iterations
 * and expressions in length, so an evaluation's cost is bounded.
 *
 * <p>Variables: {@code status} (the parent job's status: completed, failed, timeout, cancelled),
 * {@code exitCode} (int; -1 when it has none), {@code hostStats} (host to its recap counts: ok,
 * changed, failed, skipped, unreachable, rescued, ignored), {@code failedHosts} (the hosts that
 * failed or were unreachable), {@code artifacts} (map: what the parent's job published with
 * {@code set_stats}; empty when nothing).
 */
final class Conditions {

    /** The longest condition stored. */
    static final int MAX_LENGTH = 1_000;
    /** The most iterations of one comprehension ({@code all}, {@code exists}, {@code map}...). */
    static final int MAX_ITERATIONS = 10_000;
    /** Programs kept compiled, by text; beyond it, conditions are compiled at each use. */
    private static final int CACHED = 1_000;

    private static final CelOptions OPTIONS = CelOptions.current()
            .maxExpressionCodePointSize(MAX_LENGTH)
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .build();

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS) // has, all, exists, exists_one, map, filter
            .addVar("status", SimpleType.STRING)
            .addVar("exitCode", SimpleType.INT)
            .addVar("hostStats", MapType.create(SimpleType.STRING, MapType.create(SimpleType.STRING, SimpleType.INT)))
            .addVar("failedHosts", ListType.create(SimpleType.STRING))
            .addVar("artifacts", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setResultType(SimpleType.BOOL)
            .build();

    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

    /** What a condition gave: whether it holds, or why it could not be told. */
    record Outcome(boolean holds, String error) {
    }

    private Conditions() {
    }

    /** Why {@code condition} does not compile to a boolean over the declared variables; empty when it does. */
    static Optional<String> problem(String condition) {
        try {
            COMPILER.compile(condition).getAst();
            return Optional.empty();
        } catch (CelValidationException e) {
            return Optional.of(e.getErrors().isEmpty() ? e.getMessage()
                    : e.getErrors().stream().map(CelIssue::getMessage).collect(Collectors.joining("; ")));
        }
    }

    /**
     * Evaluates {@code condition} (one that compiled when its workflow was stored) over
     * {@code variables}; an evaluation error is an outcome with its message, never an exception.
     */
    static Outcome evaluate(String condition, Map<String, Object> variables) {
        try {
            Object result = program(condition).eval(variables);
            return result instanceof Boolean holds ? new Outcome(holds, null)
                    : new Outcome(false, "gave " + result + ", not a boolean");
        } catch (CelEvaluationException | CelValidationException | RuntimeException e) {
            return new Outcome(false, e.getMessage());
        }
    }

    private static CelRuntime.Program program(String condition) throws CelValidationException, CelEvaluationException {
        CelRuntime.Program cached = PROGRAMS.get(condition);
        if (cached != null) {
            return cached;
        }
        CelAbstractSyntaxTree ast = COMPILER.compile(condition).getAst();
        CelRuntime.Program program = RUNTIME.createProgram(ast);
        if (PROGRAMS.size() < CACHED) {
            PROGRAMS.put(condition, program);
        }
        return program;
    }
}
