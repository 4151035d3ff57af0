package dev.o11ycdk.test;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;

/**
 * The library's packages import only downward: the layouts (host, fargate, eks) build on the shared
 * packages (alb, grafana, cost, core, config) and never on each other; the library never on the app.
 */
class ArchitectureTest {
    private static final String ROOT = "dev.o11ycdk";
    private static final JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** The house's floors, from the app down to the configuration models, under {@code root}. */
    static LayeredArchitecture layers(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("app").definedBy(root + ".app..")
                .layer("host").definedBy(root + ".host..")
                .layer("fargate").definedBy(root + ".fargate..")
                .layer("eks").definedBy(root + ".eks..")
                .layer("alb").definedBy(root + ".alb..")
                .layer("grafana").definedBy(root + ".grafana..")
                .layer("cost").definedBy(root + ".cost..")
                .layer("core").definedBy(root + ".core..")
                .layer("config").definedBy(root + ".config..")
                .whereLayer("app").mayNotBeAccessedByAnyLayer()
                .whereLayer("host").mayOnlyBeAccessedByLayers("app")
                .whereLayer("fargate").mayOnlyBeAccessedByLayers("app")
                .whereLayer("eks").mayOnlyBeAccessedByLayers("app")
                .whereLayer("alb").mayOnlyBeAccessedByLayers("app", "host", "fargate", "eks")
                .whereLayer("grafana").mayOnlyBeAccessedByLayers("app", "host", "fargate", "eks")
                .whereLayer("cost").mayOnlyBeAccessedByLayers("app", "host", "fargate", "eks", "grafana")
                .whereLayer("core").mayOnlyBeAccessedByLayers("app", "host", "fargate", "eks", "alb", "grafana", "cost")
                .whereLayer("config").mayOnlyBeAccessedByLayers("app", "host", "fargate", "eks", "alb", "grafana", "cost", "core");
    }

    @Test
    void packagesImportOnlyDownward() {
        assertThat(LIBRARY.containPackage(ROOT + ".fargate")).isTrue();
        assertThat(LIBRARY.stream().filter(c -> c.getPackageName().startsWith(ROOT + ".")).count()).isGreaterThan(100);
        layers(ROOT).check(LIBRARY);
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(LIBRARY);
    }

    @Test
    void theLibrarysInternalsStayInTheLibrary() {
        ArchRule rule = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideInAPackage(ROOT + ".app..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".core.internal..")
                .because("core.internal is what the library's constructs share, not part of its API");
        rule.check(LIBRARY);
    }

    @Test
    void theRuleCatchesASidewaysImport() {
        // Fixture classes shaped like the library: a host class that reaches into fargate.
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.o11ycdk.test.arch.fixture");
        EvaluationResult result = layers("dev.o11ycdk.test.arch.fixture").evaluate(fixture);
        assertThat(result.hasViolation()).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails()))
                .contains("fixture.host.Sideways", "fixture.fargate.FargateThing")
                .doesNotContain("fixture.fargate.UsesCore");
    }
}
