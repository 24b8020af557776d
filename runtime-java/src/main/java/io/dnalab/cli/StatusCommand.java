package io.dnalab.cli;

import io.dnalab.cluster.Slurm;
import io.dnalab.experiment.SlurmRuns;
import io.dnalab.spec.SpecJson;
import io.dnalab.store.ResultStore;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dnalab status SPEC.json}: each stage done, queued, running, failed or missing. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Where each stage of a submitted experiment stands: done (its result or "
        + "artifact exists), queued or running (Slurm lists its task), failed (its task exited "
        + "non-zero; the log is named) or missing (never submitted, cancelled, or lost).")
public final class StatusCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SPEC.json", description = "the experiment spec")
  Path spec;

  @Option(names = "--results", paramLabel = "FILE.sqlite",
      description = "the result store (default: $DNALAB_RESULTS, else results.sqlite in the "
          + "cache folder)")
  Path results;

  @Override
  public Integer call() throws Exception {
    // Slurm's queue first, then the plan: a task that ends in between reads as running or done.
    SlurmRuns runs = new SlurmRuns(new Slurm(), SlurmRuns.folderFor(
        results != null ? results : ResultStore.defaultLocation(), SpecJson.read(spec).name()));
    SlurmRuns.Queue queue = runs.snapshot();
    PlannedSpec planned = PlannedSpec.of(spec, results);
    Map<SlurmRuns.State, Integer> counts = new EnumMap<>(SlurmRuns.State.class);
    for (SlurmRuns.StageState state : runs.status(planned.plan(), queue)) {
      counts.merge(state.state(), 1, Integer::sum);
      System.out.printf(Locale.ROOT, "%-8s %-10s %s  %s%s%n", state.state().label(),
          state.stage().kind().artifactKind(), state.stage().shortKey(), state.stage().label(),
          state.detail().isEmpty() ? "" : "  (" + state.detail() + ")");
    }
    System.err.println(planned.spec().name() + ": " + counts.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey().label()).collect(Collectors.joining(", ")));
    return 0;
  }
}
