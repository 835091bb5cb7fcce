package io.winipc.spring;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.winipc.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** This module uses winipc-core through its exported API alone (no backend class, no JNA), and states nullness in every package. */
class PublicApiOnlyTest {

    @Test
    void usesWinipcThroughItsExportedApiOnly() {
        JavaClasses classes = ArchitectureRules.mainClasses("io.winipc.spring");
        ArchitectureRules.usePublicApiOnly().check(classes);
        ArchitectureRules.useNoJna().check(classes);
    }

    @Test
    void everyPackageIsNullMarked() {
        ArchitectureRules.assertEveryPackageIsNullMarked(ArchitectureRules.mainClasses("io.winipc.spring"));
    }
}
