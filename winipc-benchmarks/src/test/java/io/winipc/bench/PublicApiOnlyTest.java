package io.winipc.bench;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import io.winipc.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks use winipc-core through its exported API alone. They do call JNA themselves
 * (CPU pinning, and a JNI-copy baseline to compare shared memory with), so JNA is allowed here.
 */
class PublicApiOnlyTest {

    @Test
    void usesWinipcThroughItsExportedApiOnly() {
        ArchitectureRules.usePublicApiOnly().check(ArchitectureRules.mainClasses("io.winipc.bench"));
    }

    @Test
    void everyPackageIsNullMarked() {
        // JMH's annotation processor generates the classes of jmh_generated, without a package-info.
        ArchitectureRules.assertEveryPackageIsNullMarked(ArchitectureRules.mainClasses("io.winipc.bench")
                .that(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("..jmh_generated.."))));
    }
}
