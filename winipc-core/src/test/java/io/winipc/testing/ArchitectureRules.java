package io.winipc.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.NullMarked;

/** ArchUnit rules that modules built on winipc-core share; winipc-core's own are in {@code io.winipc.ArchitectureTest}. */
public final class ArchitectureRules {
    private ArchitectureRules() {
    }

    /** @return the main (not test) classes of the given packages and their subpackages, from the class path */
    public static JavaClasses mainClasses(String... packages) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(packages);
    }

    /** @return a rule that the classes it checks use winipc through its exported API alone, no backend class */
    public static ArchRule usePublicApiOnly() {
        return noClasses().should().dependOnClassesThat().resideInAPackage("io.winipc.internal..")
                .because("io.winipc.internal is not exported; io.winipc.Winipc answers what callers used to ask Platforms");
    }

    /** @return a rule that the classes it checks make no native call of their own: JNA stays behind winipc's API */
    public static ArchRule useNoJna() {
        return noClasses().should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
                .because("native bindings belong in io.winipc.internal");
    }

    /** Fails unless every package of {@code classes} has a package-info annotated with JSpecify's @NullMarked. */
    public static void assertEveryPackageIsNullMarked(JavaClasses classes) {
        Set<String> unmarked = new TreeSet<>();
        for (JavaClass c : classes) {
            JavaPackage p = c.getPackage();
            if (p.tryGetPackageInfo().map(info -> !info.isAnnotatedWith(NullMarked.class)).orElse(true)) {
                unmarked.add(p.getName());
            }
        }
        assertThat(unmarked).as("packages without a @NullMarked package-info").isEmpty();
    }
}
