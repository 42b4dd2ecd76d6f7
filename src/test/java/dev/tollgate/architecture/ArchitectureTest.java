package dev.tollgate.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, checked on the compiled main classes: the arrows between packages point
 * one way, down. {@code api} and {@code web} on top; {@code workflow} (the only code that knows the engine)
 * below them; the features below that; {@code security}, {@code audit}, {@code events} and {@code shared} at
 * the bottom.
 */
class ArchitectureTest {

    private static final String ROOT = "dev.tollgate";
    private static final String[] TOP = {"dev.tollgate.api..", "dev.tollgate.web.."};
    private static final String[] FEATURES = {"dev.tollgate.candidate..", "dev.tollgate.pipeline..", "dev.tollgate.approval..",
            "dev.tollgate.release..", "dev.tollgate.watch..", "dev.tollgate.inventory..", "dev.tollgate.freeze..", "dev.tollgate.attestation..", "dev.tollgate.notify..", "dev.tollgate.breakglass.."};
    private static final String[] FOUNDATION = {"dev.tollgate.security..", "dev.tollgate.audit..", "dev.tollgate.events..", "dev.tollgate.shared.."};
    private static final List<String> FEATURE_NAMES = List.of("candidate", "pipeline", "approval", "release", "watch", "inventory", "freeze", "attestation", "notify", "breakglass");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** No two packages depend on each other, however long the way round. */
    static ArchRule noCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    @Test
    void noPackageCycles() {
        noCycles(ROOT).check(MAIN);
    }

    @Test
    void aDeliberateCycleIsCaught() {
        JavaClasses withCycle = new ClassFileImporter().importPackages(ROOT + ".architecture.cycle");
        assertThat(withCycle).isNotEmpty();
        assertThatThrownBy(() -> noCycles(ROOT + ".architecture.cycle").check(withCycle))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected");
    }

    @Test
    void featuresKnowNeitherTheWorkflowNorTheWebNorTheApi() {
        noClasses().that().resideInAnyPackage(FEATURES)
                .should().dependOnClassesThat().resideInAnyPackage(concat(TOP, "dev.tollgate.workflow.."))
                .check(MAIN);
    }

    @Test
    void theWorkflowKnowsNeitherTheWebNorTheApi() {
        noClasses().that().resideInAPackage("dev.tollgate.workflow..")
                .should().dependOnClassesThat().resideInAnyPackage(TOP)
                .check(MAIN);
    }

    @Test
    void theFoundationImportsNoFeatureAndNothingAbove() {
        noClasses().that().resideInAnyPackage(FOUNDATION)
                .should().dependOnClassesThat().resideInAnyPackage(concat(concat(FEATURES, TOP), "dev.tollgate.workflow.."))
                .check(MAIN);
    }

    @Test
    void theApiAndTheWebDoNotCallEachOther() {
        noClasses().that().resideInAPackage("dev.tollgate.api..").should().dependOnClassesThat().resideInAPackage("dev.tollgate.web..")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.tollgate.web..").should().dependOnClassesThat().resideInAPackage("dev.tollgate.api..")
                .check(MAIN);
    }

    /**
     * A feature may use another's entities, records and enums (a task knows its candidate), never its services:
     * the workflow composes the services and passes their outcomes on.
     */
    @Test
    void noFeatureCallsAnotherFeaturesServices() {
        for (String feature : FEATURE_NAMES) {
            noClasses().that().resideInAPackage(ROOT + "." + feature + "..")
                    .should().dependOnClassesThat(describe("services of another feature",
                            (JavaClass target) -> isService(target) && FEATURE_NAMES.stream()
                                    .filter(other -> !other.equals(feature))
                                    .anyMatch(other -> target.getPackageName().startsWith(ROOT + "." + other))))
                    .check(MAIN);
        }
    }

    @Test
    void onlyTheWorkflowTalksToTheEngine() {
        noClasses().that().resideOutsideOfPackage("dev.tollgate.workflow..")
                .and().resideOutsideOfPackage("dev.tollgate.pipeline..") // RiskDecision evaluates risk.dmn
                .should().dependOnClassesThat().resideInAnyPackage("org.kie.kogito.process..", "org.jbpm..")
                .check(MAIN);
    }

    private static boolean isService(JavaClass type) {
        return type.isAnnotatedWith(ApplicationScoped.class) || type.isAnnotatedWith(RequestScoped.class);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
