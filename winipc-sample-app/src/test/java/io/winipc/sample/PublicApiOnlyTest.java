package io.winipc.sample;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.winipc.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** This module uses winipc-core through its exported API alone: no backend class, no JNA. */
class PublicApiOnlyTest {

    @Test
    void usesWinipcThroughItsExportedApiOnly() {
        JavaClasses classes = ArchitectureRules.mainClasses("io.winipc.sample");
        ArchitectureRules.usePublicApiOnly().check(classes);
        ArchitectureRules.useNoJna().check(classes);
    }
}
