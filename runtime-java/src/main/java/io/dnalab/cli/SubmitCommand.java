package io.dnalab.cli;

import io.dnalab.cluster.Slurm;
import io.dnalab.cluster.SlurmOptions;
import io.dnalab.experiment.SlurmRuns;
import io.dnalab.spec.SpecJson;
import io.dnalab.store.ResultStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dnalab submit SPEC.json --slurm …}: the stages of an experiment that are not done, as
 * Slurm job arrays chained by their dependencies. Submitting again sends only what is missing.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Submit the experiment's missing stages to Slurm: one job array per stage kind "
        + "(tokenizers → pretraining → fine-tuning, chained by afterok); each task runs `dnalab "
        + "run SPEC --stage KEY`. The scripts stay in slurm/NAME/ beside the result store. "
        + "Submitting again submits only what is neither done, queued nor running.")
public final class SubmitCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SPEC.json", description = "the experiment spec")
  Path spec;

  @Option(names = "--slurm", required = true,
      description = "submit with sbatch (the one scheduler dnalab speaks)")
  boolean slurm;

  @Option(names = "--results", paramLabel = "FILE.sqlite",
      description = "the result store the tasks record into (default: $DNALAB_RESULTS, else "
          + "results.sqlite in the cache folder); it must be on a filesystem the nodes share")
  Path results;

  @Option(names = "--partition", paramLabel = "P") String partition;

  @Option(names = "--gpus-per-task", paramLabel = "N", defaultValue = "0") int gpusPerTask;

  @Option(names = "--cpus-per-task", paramLabel = "N", defaultValue = "0",
      description = "CPUs per task; each task trains with that many threads")
  int cpusPerTask;

  @Option(names = "--time", paramLabel = "T", description = "sbatch --time, e.g. 2:00:00")
  String time;

  @Option(names = "--max-parallel", paramLabel = "N", defaultValue = "0",
      description = "at most N tasks of one array at once (0 = no limit)")
  int maxParallel;

  @Override
  public Integer call() throws Exception {
    SlurmOptions options;
    try {
      options = new SlurmOptions(partition, gpusPerTask, cpusPerTask, time, maxParallel);
    } catch (IllegalArgumentException e) {
      throw new CliErrors.UserError(e.getMessage(), e);
    }
    // Slurm's queue first, then the plan: a task that ends in between reads as running or done.
    SlurmRuns runs = new SlurmRuns(new Slurm(), SlurmRuns.folderFor(
        results != null ? results : ResultStore.defaultLocation(), SpecJson.read(spec).name()));
    SlurmRuns.Queue queue = runs.snapshot();
    PlannedSpec planned = PlannedSpec.of(spec, results);
    SlurmRuns.Submission submission = runs.submit(planned.plan(), queue, planned.json(),
        WorkerCommand.current(), planned.store(), options);
    if (submission == null) {
      System.out.println(planned.spec().name() + ": nothing to submit (every stage is done, "
          + "queued or running; see `dnalab status " + spec + "`)");
      return 0;
    }
    for (Map.Entry<String, String> array : submission.arrays().entrySet()) {
      System.out.printf("submitted %-9s job %s: %d stage%s%n", array.getKey(), array.getValue(),
          submission.counts().get(array.getKey()),
          submission.counts().get(array.getKey()) == 1 ? "" : "s");
    }
    System.out.println("scripts, keys and logs in " + submission.folder());
    return 0;
  }
}
