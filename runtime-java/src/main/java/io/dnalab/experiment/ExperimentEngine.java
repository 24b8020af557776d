package io.dnalab.experiment;

import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.LoadOptions;
import io.dnalab.store.ResultStore;
import io.dnalab.engine.DnalabEngine;
import java.util.List;

/**
 * The experiment engine as notebooks and {@code dnalab run} use it: plans a spec against the
 * stores ({@link Planner}), runs what is not done ({@link Executor}) and records every finished
 * run. Re-running a finished experiment reads its rows back: no task is read, no model built, the
 * PyTorch engine is not even started.
 *
 * <p>Defaults ({@link #fromEnvironment()}): tasks from {@link DatasetCatalog#fromEnvironment()},
 * artifacts in {@code $DNALAB_CACHE/artifacts}, results in {@link ResultStore#defaultLocation()},
 * fine-tuning with any tokenizer ({@link FinetuneRunner#local}) on the engine's default device,
 * and {@link #defaultPretrainer} for pretraining.
 */
public final class ExperimentEngine implements AutoCloseable {
  /**
   * The pretraining stage runner {@link #fromEnvironment()} uses; {@link PretrainRunner#UNAVAILABLE}
   * until the pretrainer registers itself here.
   */
  public static volatile PretrainRunner defaultPretrainer = PretrainRunner.UNAVAILABLE;

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
    return new ExperimentEngine(DatasetCatalog.fromEnvironment(), ArtifactStore.fromEnvironment(),
        ResultStore.openDefault(), FinetuneRunner.local(DnalabEngine::startDefault),
        defaultPretrainer);
  }

  public Plan plan(ExperimentSpec spec) {
    return Planner.of(fingerprints, artifacts, results, pretrainer).plan(spec);
  }

  /** Plans {@code spec}, runs what is not done, returns every run's result in plan order. */
  public List<RunResult> run(ExperimentSpec spec, ExecutionListener listener) {
    return execute(plan(spec), listener);
  }

  public List<RunResult> execute(Plan plan, ExecutionListener listener) {
    return new Executor(task -> catalog.load(task, LoadOptions.defaults()), fingerprints::of,
        finetuner, pretrainer, artifacts, results).execute(plan, listener);
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
