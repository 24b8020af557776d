package io.dnalab.cli;

import io.dnalab.data.DataFormatException;
import io.dnalab.experiment.ExperimentEngine;
import io.dnalab.experiment.Plan;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.SpecException;
import io.dnalab.spec.SpecJson;
import io.dnalab.store.ResultStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A spec file read and planned against a result store, without starting PyTorch: what
 * {@code submit} and {@code status} both need.
 *
 * @param json the file's text, as the user wrote it
 */
record PlannedSpec(Path file, String json, ExperimentSpec spec, Plan plan, Path store) {

  static PlannedSpec of(Path specFile, Path resultStore) throws IOException {
    // A malformed spec names the file, line and column itself; CliErrors prints it.
    ExperimentSpec spec = SpecJson.read(specFile);
    String json = Files.readString(specFile, StandardCharsets.UTF_8);
    Path store = resultStore != null ? resultStore : ResultStore.defaultLocation();
    try (ExperimentEngine engine = ExperimentEngine.withDevice(() -> {
      throw new IllegalStateException("planning never starts the engine");
    }, ResultStore.open(store))) {
      return new PlannedSpec(specFile, json, spec, engine.plan(spec), store);
    } catch (SpecException | DataFormatException e) {
      throw new CliErrors.UserError(specFile + ": " + e.getMessage(), e);
    }
  }
}
