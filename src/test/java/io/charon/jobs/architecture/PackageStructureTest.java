package io.charon.jobs.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of the production code: the top-level packages form no cycle, the domain
 * ({@code job}) depends on none of the packages that use it, and only the store knows which
 * database it runs on.
 */
class PackageStructureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.charon.jobs");
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("io.charon.jobs.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theDomainDependsOnNoServiceOrInfrastructurePackage() {
        noClasses().that().resideInAPackage("io.charon.jobs.job..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.charon.jobs.api..", "io.charon.jobs.commit..", "io.charon.jobs.config..",
                        "io.charon.jobs.dispatch..", "io.charon.jobs.events..", "io.charon.jobs.execution..",
                        "io.charon.jobs.files..", "io.charon.jobs.lifecycle..", "io.charon.jobs.messaging..",
                        "io.charon.jobs.observability..", "io.charon.jobs.query..", "io.charon.jobs.queue..",
                        "io.charon.jobs.security..", "io.charon.jobs.store..", "io.charon.jobs.submission..")
                .check(classes);
    }

    @Test
    void storeSpecificsStayBehindTheStoreBoundary() {
        noClasses().that().resideOutsideOfPackage("io.charon.jobs.store..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.charon.jobs.store.sqlite..", "io.charon.jobs.store.postgresql..")
                .check(classes);
    }
}
