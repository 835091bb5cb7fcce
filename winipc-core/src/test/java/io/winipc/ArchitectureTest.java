package io.winipc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.winipc.testing.ArchitectureRules;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The module boundary of winipc-core, checked on its compiled classes (docs/architecture.md
 * explains it). The module descriptor seals the boundary for module-path users; these rules keep
 * it sealed on the class path too, and keep the packages in one direction.
 */
@DisabledIfSystemProperty(named = "winipc.test.wine", matches = "true", disabledReason = "the rules read bytecode, the same on every"
        + " OS, and run on Linux; under Wine, importing the class path here made WindowsResourceLeakTest's handle count drift")
class ArchitectureTest {
    private static final String[] API_PACKAGES = {"io.winipc", "io.winipc.channel", "io.winipc.pipe", "io.winipc.shm", "io.winipc.sync"};
    private static final String[] BACKENDS = {"io.winipc.internal.linux", "io.winipc.internal.windows"};
    private static final JavaClasses CLASSES = ArchitectureRules.mainClasses("io.winipc");

    /** The API packages build on the backends; of the root package's types only the entry point reaches them. */
    @Test
    void onlyTheApiPackagesAndTheEntryPointUseInternals() {
        noClasses().that().resideOutsideOfPackages("io.winipc.internal..", "io.winipc.channel", "io.winipc.pipe", "io.winipc.shm",
                        "io.winipc.sync")
                .and().doNotBelongToAnyOf(Winipc.class)
                .should().dependOnClassesThat().resideInAPackage("io.winipc.internal..")
                .check(CLASSES);
    }

    /** A backend is chosen by Platforms and reached through the Platform interface, never named by the API. */
    @Test
    void backendsAreReachedOnlyThroughThePlatformInterface() {
        noClasses().that().resideOutsideOfPackages("io.winipc.internal.linux..")
                .should().dependOnClassesThat().resideInAPackage("io.winipc.internal.linux..")
                .check(CLASSES);
        noClasses().that().resideOutsideOfPackages("io.winipc.internal.windows..")
                .should().dependOnClassesThat().resideInAPackage("io.winipc.internal.windows..")
                .check(CLASSES);
    }

    /** The backends see the API's vocabulary (exceptions, options, Scope) but not the classes built on them. */
    @Test
    void internalsDoNotDependOnTheClassesBuiltOnThem() {
        noClasses().that().resideInAPackage("io.winipc.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("io.winipc.channel", "io.winipc.pipe", "io.winipc.shm",
                        "io.winipc.sync")
                .orShould().dependOnClassesThat().belongToAnyOf(Winipc.class)
                .check(CLASSES);
    }

    /** Native bindings stay in the backends. */
    @Test
    void onlyInternalsUseJna() {
        noClasses().that().resideOutsideOfPackage("io.winipc.internal..")
                .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
                .check(CLASSES);
    }

    /**
     * No cycle between packages. The entry point {@link Winipc} sits in the root package beside the
     * exceptions and options that the backends use, but above the backends: it counts as a slice of
     * its own, so that root → internal → root is not read as a cycle that no class takes part in.
     * Each backend counts as one slice: the Linux backend's {@code objects} package and its parent
     * still call each other (the platform class opens objects; the objects use its errno and libc
     * helpers), which this rule does not forbid yet.
     */
    @Test
    void packagesAreFreeOfCycles() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                if (javaClass.getName().equals(Winipc.class.getName())) {
                    return SliceIdentifier.of("io.winipc.Winipc (entry point)");
                }
                String pkg = javaClass.getPackageName();
                for (String backend : BACKENDS) {
                    if (pkg.equals(backend) || pkg.startsWith(backend + ".")) {
                        return SliceIdentifier.of(backend + "..");
                    }
                }
                return pkg.startsWith("io.winipc") ? SliceIdentifier.of(pkg) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "winipc packages, with the entry point apart";
            }
        }).should().beFreeOfCycles().check(CLASSES);
    }

    /** What a user can see (public and protected members of public API types) names no JNA and no internal type. */
    @Test
    void publicSignaturesExposeNoJnaOrInternalType() {
        classes().that().resideInAnyPackage(API_PACKAGES).and().arePublic()
                .should(exposeNoTypeFrom("io.winipc.internal", "com.sun.jna"))
                .check(CLASSES);
    }

    /** Every package states its nullness: JSpecify's @NullMarked on its package-info, so unmarked types mean non-null. */
    @Test
    void everyPackageIsNullMarked() {
        ArchitectureRules.assertEveryPackageIsNullMarked(CLASSES);
    }

    private static ArchCondition<JavaClass> exposeNoTypeFrom(String... packagePrefixes) {
        DescribedPredicate<JavaClass> forbidden = DescribedPredicate.describe("in " + String.join(" or ", packagePrefixes),
                c -> {
                    for (String prefix : packagePrefixes) {
                        if (c.getPackageName().equals(prefix) || c.getPackageName().startsWith(prefix + ".")) {
                            return true;
                        }
                    }
                    return false;
                });
        return new ArchCondition<>("expose no type " + forbidden.getDescription() + " in a public signature") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                Set<JavaClass> exposed = new HashSet<>();
                type.getRawSuperclass().ifPresent(exposed::add);
                exposed.addAll(type.getRawInterfaces());
                for (JavaMember member : type.getMembers()) {
                    if (!visible(member)) {
                        continue;
                    }
                    if (member instanceof JavaField f) {
                        exposed.addAll(f.getType().getAllInvolvedRawTypes());
                    } else if (member instanceof JavaCodeUnit u) {
                        exposed.addAll(u.getReturnType().getAllInvolvedRawTypes());
                        u.getParameterTypes().forEach(p -> exposed.addAll(p.getAllInvolvedRawTypes()));
                        u.getThrowsClause().getTypes().forEach(exposed::add);
                    }
                }
                for (JavaClass c : exposed) {
                    if (forbidden.test(c)) {
                        events.add(SimpleConditionEvent.violated(type, type.getName() + " exposes " + c.getName()));
                    }
                }
            }
        };
    }

    private static boolean visible(JavaMember member) {
        Set<JavaModifier> m = member.getModifiers();
        return m.contains(JavaModifier.PUBLIC) || m.contains(JavaModifier.PROTECTED);
    }
}
