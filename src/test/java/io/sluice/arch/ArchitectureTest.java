package io.sluice.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the one-way package dependencies of DESIGN.md §2 true: checked by the build, not by reviewers. */
class ArchitectureTest {

    private static final String[] WEB_AND_FRAMEWORK = {
        "org.springframework..", "reactor..", "io.netty..", "java.sql..", "javax.sql..", "org.h2.."
    };

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sluice");
    }

    @Test
    void commonDependsOnNothingOfSluice() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.common..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("io.sluice.common..", "java..")
                .check(classes);
    }

    @Test
    void recordUsesOnlyTheJdkAndCommon() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.record..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("io.sluice.record..", "io.sluice.common..", "java..")
                .check(classes);
    }

    @Test
    void quotaUsesOnlyTheJdkAndCommon() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.quota..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("io.sluice.quota..", "io.sluice.common..", "java..")
                .check(classes);
    }

    @Test
    void storageKnowsNoFrameworkNoWebAndNoJdbc() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.storage..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(WEB_AND_FRAMEWORK)
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.sluice.api..",
                        "io.sluice.app..",
                        "io.sluice.topic..",
                        "io.sluice.produce..",
                        "io.sluice.fetch..",
                        "io.sluice.group..",
                        "io.sluice.metadata..")
                .check(classes);
    }

    @Test
    void servicesKnowNoWeb() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.sluice.topic..",
                        "io.sluice.produce..",
                        "io.sluice.fetch..",
                        "io.sluice.group..",
                        "io.sluice.stream..",
                        "io.sluice.stats..",
                        "io.sluice.quota..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "org.springframework.web..", "org.springframework.http..", "reactor..", "io.netty..")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage("io.sluice.api..", "io.sluice.app..")
                .check(classes);
    }

    @Test
    void securityDomainUsesOnlyTheJdkCommonAndLogging() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.security")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("io.sluice.security", "io.sluice.common..", "java..", "org.slf4j..")
                .check(classes);
    }

    @Test
    void liveStreamSecurityUsesOnlyTheJdkCommonAndTheSecurityDomain() {
        noClasses()
                .that()
                .resideInAPackage("io.sluice.security.live..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages(
                        "io.sluice.security.live..",
                        "io.sluice.security",
                        "io.sluice.common..",
                        "java..",
                        "javax.crypto..")
                .check(classes);
    }

    @Test
    void onlyTheApiEdgeAndAppKnowTheWeb() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.sluice.api..", "io.sluice.app..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.web..", "org.springframework.http..", "io.netty..")
                .check(classes);
    }

    @Test
    void onlyJdbcAdaptersAndTheAppTouchJdbc() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.sluice..jdbc..", "io.sluice.app..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "javax.sql..", "org.h2..", "org.springframework.jdbc..")
                .check(classes);
    }

    @Test
    void nothingDependsOnTheApp() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.sluice.app..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.sluice.app..")
                .check(classes);
    }
}
