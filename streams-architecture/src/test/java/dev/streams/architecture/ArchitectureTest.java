package dev.streams.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules over every module's main code: which packages may depend on which (no cycles; the API
 * free of backends, Redis clients and test libraries; the TCK and test libraries used only by the
 * test kits, {@code dev.streams.tck} and {@code dev.streams.redis.testing}), and what a backend
 * exposes (its provider, final, its options and its raw view). Tests are not analysed. Every module
 * with main code is on this module's test classpath; {@link EveryModuleIsAnalysedTest} keeps it so.
 */
@AnalyzeClasses(packages = "dev.streams", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String[] API = {"dev.streams", "dev.streams.json..", "dev.streams.query..",
      "dev.streams.spi..", "dev.streams.internal.."};
  /** The kits that backends' tests use: test libraries are their main dependencies. */
  private static final String[] TEST_KITS = {"dev.streams.tck..", "dev.streams.redis.testing.."};
  private static final String[] BACKENDS = {"dev.streams.memory..", "dev.streams.redis.."};
  private static final String[] REDIS_CLIENTS = {"redis.clients..", "io.lettuce.."};
  private static final String[] TEST_LIBRARIES = {"org.junit..", "org.assertj..", "org.awaitility..",
      "org.testcontainers..", "com.tngtech.archunit.."};

  @ArchTest
  static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.(**)")
      .should().beFreeOfCycles()
      .because("each package builds on those below it; a cycle makes two packages one");

  @ArchTest
  static final ArchRule jsonCodecDependsOnNothingOfTheLibrary = noClasses().that()
      .resideInAPackage("dev.streams.json..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.streams", "dev.streams.spi..",
          "dev.streams.query..")
      .because("applications and backends both use the codec");

  @ArchTest
  static final ArchRule apiDependsOnNoBackend = noClasses().that().resideInAnyPackage(API)
      .should().dependOnClassesThat().resideInAnyPackage(BACKENDS)
      .because("the API must work with any backend, including third-party ones");

  @ArchTest
  static final ArchRule apiDependsOnNoRedisClient = noClasses().that().resideInAnyPackage(API)
      .should().dependOnClassesThat().resideInAnyPackage(REDIS_CLIENTS)
      .because("a Redis client belongs to its backend module only");

  @ArchTest
  static final ArchRule apiDependsOnNoTestLibrary = noClasses().that().resideInAnyPackage(API)
      .should().dependOnClassesThat().resideInAnyPackage(TEST_LIBRARIES)
      .orShould().dependOnClassesThat().resideInAPackage("dev.streams.tck..");

  @ArchTest
  static final ArchRule memoryDependsOnNoOtherBackend = noClasses().that()
      .resideInAPackage("dev.streams.memory..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.streams.redis..")
      .orShould().dependOnClassesThat().resideInAnyPackage(REDIS_CLIENTS);

  @ArchTest
  static final ArchRule jedisBackendDependsOnNoOtherBackend = noClasses().that()
      .resideInAPackage("dev.streams.redis.jedis..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "dev.streams.memory..", "dev.streams.redis.lettuce..", "io.lettuce..")
      .allowEmptyShould(true);

  @ArchTest
  static final ArchRule lettuceBackendDependsOnNoOtherBackend = noClasses().that()
      .resideInAPackage("dev.streams.redis.lettuce..")
      .should().dependOnClassesThat().resideInAnyPackage(
          "dev.streams.memory..", "dev.streams.redis.jedis..", "redis.clients..")
      .allowEmptyShould(true);

  @ArchTest
  static final ArchRule sharedRedisCodeUsesNoClient = noClasses().that()
      .resideInAPackage("dev.streams.redis.internal..")
      .should().dependOnClassesThat().resideInAnyPackage(REDIS_CLIENTS)
      .allowEmptyShould(true)
      .because("the Redis logic both backends share is client-agnostic");

  @ArchTest
  static final ArchRule onlyTestKitsDependOnTheTck = noClasses().that()
      .resideOutsideOfPackages(TEST_KITS)
      .should().dependOnClassesThat().resideInAPackage("dev.streams.tck..")
      .because("the TCK is for backends' tests and their kits, never for main code");

  @ArchTest
  static final ArchRule mainCodeUsesTestLibrariesOnlyInTheKits = noClasses().that()
      .resideOutsideOfPackages(TEST_KITS)
      .should().dependOnClassesThat().resideInAnyPackage(TEST_LIBRARIES);

  @ArchTest
  static final ArchRule backendsUseNoApiInternals = noClasses().that()
      .resideOutsideOfPackages(API)
      .should().dependOnClassesThat().resideInAPackage("dev.streams.internal..")
      .because("dev.streams.internal may change at any time; backends build on dev.streams.spi");

  @ArchTest
  static final ArchRule backendsExposeOnlyTheirProviderOptionsAndRawView = classes().that()
      .resideInAnyPackage("dev.streams.memory", "dev.streams.redis.jedis", "dev.streams.redis.lettuce")
      .and().arePublic().and().areTopLevelClasses()
      .should().haveSimpleNameEndingWith("Provider")
      .orShould().haveSimpleNameEndingWith("Options")
      .orShould().haveSimpleNameEndingWith("RawView")
      .because("a backend's public surface is its provider and its options; the rest is"
          + " package-private or internal");

  @ArchTest
  static final ArchRule providersAreFinal = classes().that()
      .implement("dev.streams.StreamAdapterProvider")
      .should().haveModifier(JavaModifier.FINAL);
}
