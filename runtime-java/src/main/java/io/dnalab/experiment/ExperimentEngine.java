package io.dnalab.experiment;

import ai.djl.Device;
import io.dnalab.data.CorpusFiles;
import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.LoadOptions;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.result.RunResult;
import io.dnalab.spec.CorpusSpec;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.SpecException;
import io.dnalab.store.ResultStore;
import java.util.List;
import java.util.function.Supplier;

/**
 * The experiment engine as notebooks and {@code dnalab run} use it: plans a spec against the
 * stores ({@link Planner}), runs what is not done ({@link Executor}) and records every finished
 * run. Re-running a finished experiment reads its rows back: no task is read, no model built, the
 * PyTorch engine is not even started.
 *
 * <p>Defaults ({@link #fromEnvironment()}): tasks from {@link DatasetCatalog#fromEnvironment()},
 * artifacts in {@code $DNALAB_CACHE/artifacts}, results in {@link ResultStore#defaultLocation()},
 * fine-tuning with any tokenizer ({@link FinetuneRunner#local}) on the engine's default device,
 * and pretraining with {@link io.dnalab.experiment.LocalPretrainRunner}; both keep the training
 * state of an unfinished stage in the artifact store under the stage's key.
 */
public final class ExperimentEngine implements AutoCloseable {
  private final DatasetCatalog catalog;
  private final DataFingerprints fingerprints;
  private final ArtifactStore artifacts;
  private final ResultStore results;
  private final FinetuneRunner finetuner;
  private final PretrainRunner pretrainer;

  public ExperimentEngine(DatasetCatalog catalog, ArtifactStore artifacts, ResultStore results,
      FinetuneRunner finetuner, PretrainRunner pretrainer) {
    this.catalog = catalog;
    this.fingerprints = new DataFingerprints(catalog,
        artifacts.root().resolve("checksums.json"));
    this.artifacts = artifacts;
    this.results = results;
    this.finetuner = finetuner;
    this.pretrainer = pretrainer;
  }

  public static ExperimentEngine fromEnvironment() {
    return withDevice(DnalabEngine::startDefault, ResultStore.openDefault());
  }

  /**
   * The environment's catalog and artifact store, {@code results}, and every stage on the device
   * {@code device} starts (asked for on the first stage that trains).
   */
  public static ExperimentEngine withDevice(Supplier<Device> device, ResultStore results) {
    DatasetCatalog catalog = DatasetCatalog.fromEnvironment();
    ArtifactStore artifacts = ArtifactStore.fromEnvironment();
    return new ExperimentEngine(catalog, artifacts, results, FinetuneRunner.local(device),
        new LocalPretrainRunner(catalog, device, artifacts));
  }

  public Plan plan(ExperimentSpec spec) {
    checkGenomes(spec);
    // Runs that workers published as files (dnalab run --jobs, --stage) become rows first.
    ResultFiles.of(artifacts).importInto(results);
    return Planner.of(fingerprints, artifacts, results, pretrainer).plan(spec);
  }

  /**
   * Every genome a pretraining corpus names must be in the catalog: a misspelt id fails when the
   * experiment is planned, naming the value, not when its pretraining stage is reached.
   */
  private void checkGenomes(ExperimentSpec spec) {
    for (PretrainSpec pretrain : spec.pretraining()) {
      if (pretrain instanceof PretrainSpec.Pretrain p) {
        for (CorpusSpec.GenomeSource genome : p.corpus().genomes()) {
          if (genome.path() != null) {
            CorpusFiles.fastaFiles(genome.path()); // a missing file or empty folder fails here
          } else if (catalog.catalog().genome(genome.id()).isEmpty()) {
            throw new SpecException("pretrain.corpus.genomes", "unknown genome \"" + genome.id()
                + "\" in " + pretrain.id() + "; the catalog has: " + catalog.catalog().genomes()
                .stream().map(g -> g.id()).toList());
          }
        }
      }
    }
  }

  /** Plans {@code spec}, runs what is not done, returns every run's result in plan order. */
  public List<RunResult> run(ExperimentSpec spec, ExecutionListener listener) {
    return execute(plan(spec), listener);
  }

  public List<RunResult> execute(Plan plan, ExecutionListener listener) {
    return new Executor(task -> catalog.load(task, LoadOptions.defaults()), fingerprints::of,
        finetuner, pretrainer, artifacts, results, catalog::corpusFiles).execute(plan, listener);
  }

  /**
   * {@link #execute} in a worker process: each finished run is also published as a result file in
   * the artifact store ({@link ResultFiles}) for the process that owns the shared store.
   */
  public List<RunResult> executeAsWorker(Plan plan, ExecutionListener listener) {
    return new Executor(task -> catalog.load(task, LoadOptions.defaults()), fingerprints::of,
        finetuner, pretrainer, artifacts, results, catalog::corpusFiles).publishingResultFiles()
        .execute(plan, listener);
  }

  public ResultStore results() {
    return results;
  }

  public ArtifactStore artifacts() {
    return artifacts;
  }

  @Override
  public void close() {
    results.close();
  }
}
