package io.dnalab;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages form the layers that {@code ARCHITECTURE.md} draws (README, section
 * Architecture): a package imports only from layers below it, so specs and results can be read,
 * hashed and stored without loading a model, and orchestration never leaks into the layers it
 * drives. A new import that breaks this fails here, naming the offending class and member.
 *
 * <pre>
 * cli
 * experiment                 planning, execution, artifacts, the facade the DSL calls
 * train  store               training core; SQLite store
 * model                      DJL blocks + model registry; public checkpoints onto them
 * checkpoint tokenize data   public checkpoints' files; tokenizers; the DNA input layer;
 *   metrics                  statistics
 * result                     RunResult, Provenance, Cost, MetricSet
 * spec   engine              immutable specs + JSON; DJL set-up (offline, device, threads)
 * </pre>
 */
class LayeringTest {
  private static JavaClasses runtime;

  @BeforeAll
  static void importRuntime() {
    runtime = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.dnalab");
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("io.dnalab.(*)..").should().beFreeOfCycles().check(runtime);
  }

  @Test
  void eachLayerImportsOnlyLayersBelowIt() {
    LAYERS.check(runtime);
  }

  @Test
  void aSpecThatImportsAModelIsCaught() {
    // The rule can fail: a class in io.dnalab.spec that calls into io.dnalab.model breaks it.
    JavaClasses violation = new ClassFileImporter().importClasses(
        io.dnalab.spec.LayeringViolationFixture.class, io.dnalab.model.Models.class);
    assertThatThrownBy(() -> LAYERS.check(violation))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("LayeringViolationFixture")
        .hasMessageContaining("io.dnalab.model.Models");
  }

  private static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("cli").definedBy("io.dnalab.cli..")
        .layer("experiment").definedBy("io.dnalab.experiment..")
        .layer("train/store").definedBy("io.dnalab.train..", "io.dnalab.store..")
        .layer("model").definedBy("io.dnalab.model..")
        // model.PretrainedCheckpoints maps checkpoint files onto encoders: checkpoint sits below model
        .layer("checkpoint/tokenize/data/metrics").definedBy("io.dnalab.checkpoint..",
            "io.dnalab.tokenize..", "io.dnalab.data..", "io.dnalab.metrics..")
        .layer("result").definedBy("io.dnalab.result..")
        .layer("spec").definedBy("io.dnalab.spec..")
        .layer("engine").definedBy("io.dnalab.engine..")
        .whereLayer("cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("experiment").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("train/store").mayOnlyBeAccessedByLayers("cli", "experiment")
        .whereLayer("model")
            .mayOnlyBeAccessedByLayers("cli", "experiment", "train/store")
        .whereLayer("checkpoint/tokenize/data/metrics")
            .mayOnlyBeAccessedByLayers("cli", "experiment", "train/store", "model")
        .whereLayer("result").mayOnlyBeAccessedByLayers("cli", "experiment",
            "train/store", "model", "checkpoint/tokenize/data/metrics")
        .whereLayer("engine").mayOnlyBeAccessedByLayers("cli", "experiment",
            "train/store", "model");
}
