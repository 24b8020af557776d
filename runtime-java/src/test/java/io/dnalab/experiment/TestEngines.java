package io.dnalab.experiment;

import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.TestData;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.store.ResultStore;
import java.nio.file.Path;

/** Experiment engines for tests: every cache and store in one temporary folder. */
final class TestEngines {
  private TestEngines() {}

  /**
   * A local engine whose catalog cache, artifact store and result store live under {@code dir},
   * reading real data from {@link TestData#root()}.
   */
  static ExperimentEngine inFolder(Path dir) {
    DatasetCatalog catalog = DatasetCatalog.environmentBuilder().cacheDir(dir.resolve("cache"))
        .dataDir(TestData.root()).build();
    ArtifactStore artifacts = new ArtifactStore(dir.resolve("artifacts"));
    return new ExperimentEngine(catalog, artifacts,
        ResultStore.open(dir.resolve("results.sqlite")),
        FinetuneRunner.local(DnalabEngine::startDefault),
        new LocalPretrainRunner(catalog, DnalabEngine::startDefault, artifacts));
  }
}
