package io.dnalab.experiment;

import io.dnalab.cluster.ArrayJob;
import io.dnalab.cluster.SbatchScript;
import io.dnalab.cluster.Slurm;
import io.dnalab.cluster.SlurmOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An experiment's stages on Slurm: one job array per stage kind (tokenizers, then pretraining,
 * then fine-tuning), chained by {@code afterok}, each task running {@code dnalab run SPEC --stage
 * KEY}. Submissions are folders under {@code slurm/SPEC-NAME/} beside the result store, each with
 * the spec it ran, the scripts, their key files, {@code jobs.tsv} (array, job id, job name) and
 * the tasks' logs; they are the record {@link #status} reads, with {@code squeue}, to tell a
 * stage that is queued or running from one that failed or is missing.
 *
 * <p>What a finished task produced is in the artifact and result stores like any local run, so
 * collecting a grid is planning it again: every stage is then done.
 */
public final class SlurmRuns {
  private static final DateTimeFormatter FOLDER_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT);
  private static final String JOBS_FILE = "jobs.tsv";
  private static final List<String> EXPORTED = List.of("DNALAB_CACHE", "DNALAB_DATA",
      "DNALAB_HOME", "DNALAB_RESULTS", "DJL_OFFLINE", "DJL_CACHE_DIR", "OPT_OUT_TRACKING",
      "OMP_WAIT_POLICY", "HF_HOME", "HF_HUB_CACHE", "JAVA_HOME");

  private final Slurm slurm;
  private final Path root;

  /**
   * @param root the folder of this spec's submissions ({@link #folderFor})
   */
  public SlurmRuns(Slurm slurm, Path root) {
    this.slurm = slurm;
    this.root = root;
  }

  /** {@code slurm/NAME} beside the result store. */
  public static Path folderFor(Path resultStore, String experimentName) {
    Path parent = resultStore.toAbsolutePath().getParent();
    return parent.resolve("slurm").resolve(experimentName.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  /** Where one stage stands on the cluster. */
  public enum State {
    DONE, RUNNING, QUEUED, FAILED, MISSING;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One stage's standing.
   *
   * @param detail the Slurm task ({@code 12_3}) or the failure ({@code exit 1, job 12_3}); empty
   *     when there is nothing to add
   */
  public record StageState(Stage stage, State state, String detail) {
  }

  /**
   * What one submission sent.
   *
   * @param folder its scripts, keys and logs
   * @param arrays array name → job id, in submission order
   * @param counts array name → tasks
   */
  public record Submission(Path folder, Map<String, String> arrays, Map<String, Integer> counts) {
    public int stages() {
      return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * What was submitted and what Slurm still lists of it, at one moment. Take it before planning:
   * a task that ends in between then shows as running (it was queued) or done (the plan read its
   * result), never as missing.
   */
  public record Queue(List<Submitted> submitted, Map<String, String> states) {
  }

  public Queue snapshot() {
    List<Submitted> submitted = submissions();
    Set<String> names = new LinkedHashSet<>();
    submitted.forEach(s -> names.add(s.jobName()));
    return new Queue(submitted, slurm.states(new ArrayList<>(names)));
  }

  /** Every stage of {@code plan}, in plan order, against a queue taken now. */
  public List<StageState> status(Plan plan) {
    return status(plan, snapshot());
  }

  /** Every stage of {@code plan}, in plan order, against {@code queue} (taken before the plan). */
  public List<StageState> status(Plan plan, Queue queue) {
    List<StageState> states = new ArrayList<>();
    for (Stage stage : plan.stages()) {
      states.add(stateOf(stage, queue.submitted(), queue.states()));
    }
    return states;
  }

  /**
   * Submits every stage of {@code plan} that is neither done nor queued or running: an array per
   * kind, each after the previous kind's array and after any older array still running a stage
   * it reads.
   *
   * @param specJson the spec's JSON, copied into the submission so later edits do not change
   *     what its tasks run
   * @param worker the command that starts dnalab's CLI in a fresh JVM
   * @param resultStore the store every task records into
   * @return the submission, or null when nothing was missing
   */
  public Submission submit(Plan plan, String specJson, List<String> worker, Path resultStore,
      SlurmOptions options) {
    return submit(plan, snapshot(), specJson, worker, resultStore, options);
  }

  /** {@link #submit(Plan, String, List, Path, SlurmOptions)} against {@code queue}. */
  public Submission submit(Plan plan, Queue queue, String specJson, List<String> worker,
      Path resultStore, SlurmOptions options) {
    List<StageState> states = status(plan, queue);
    Map<String, StageState> byKey = new LinkedHashMap<>();
    states.forEach(s -> byKey.put(s.stage().key(), s));
    Map<Stage.Kind, List<Stage>> pending = new LinkedHashMap<>();
    for (StageState state : states) {
      if (state.state() == State.MISSING || state.state() == State.FAILED) {
        pending.computeIfAbsent(state.stage().kind(), k -> new ArrayList<>()).add(state.stage());
      }
    }
    if (pending.isEmpty()) {
      return null;
    }
    Path folder = root.resolve(LocalDateTime.now().format(FOLDER_TIME));
    try {
      Files.createDirectories(folder.resolve("logs"));
      Path spec = folder.resolve("spec.json");
      Files.writeString(spec, specJson, StandardCharsets.UTF_8);
      List<String> command = new ArrayList<>(worker);
      command.addAll(List.of("run", spec.toString(), "--results",
          resultStore.toAbsolutePath().toString(), "--stage", ArrayJob.KEY, "--quiet"));
      Map<String, String> arrays = new LinkedHashMap<>();
      Map<String, Integer> counts = new LinkedHashMap<>();
      String previous = null;
      for (Stage.Kind kind : Stage.Kind.values()) {
        List<Stage> stages = pending.get(kind);
        if (stages == null) {
          continue;
        }
        Set<String> dependsOn = new LinkedHashSet<>();
        if (previous != null) {
          dependsOn.add(previous);
        }
        for (Stage stage : stages) {
          for (String input : stage.inputs()) {
            StageState upstream = byKey.get(input);
            if (upstream != null && (upstream.state() == State.RUNNING
                || upstream.state() == State.QUEUED)) {
              dependsOn.add(upstream.detail().substring(0, upstream.detail().indexOf('_')));
            }
          }
        }
        String name = kind.artifactKind();
        ArrayJob job = new ArrayJob(name, jobName(name),
            kind.title() + " stages of experiment \"" + plan.spec().name() + "\" ("
                + stages.size() + "), one per array task",
            stages.stream().map(Stage::key).toList(), command, environment(),
            new ArrayList<>(dependsOn));
        Files.write(folder.resolve(SbatchScript.keysFileName(job)), job.keys(),
            StandardCharsets.UTF_8);
        Path script = folder.resolve(SbatchScript.scriptFileName(job));
        Files.writeString(script, SbatchScript.render(job, options, folder),
            StandardCharsets.UTF_8);
        script.toFile().setExecutable(true);
        String jobId = slurm.submit(script, job.dependsOn());
        // Recorded as each array is accepted: a refusal half-way leaves what did go in findable.
        Files.writeString(folder.resolve(JOBS_FILE), name + "\t" + jobId + "\t" + job.jobName()
            + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
        arrays.put(name, jobId);
        counts.put(name, stages.size());
        previous = jobId;
      }
      return new Submission(folder, arrays, counts);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the submission in " + folder, e);
    }
  }

  private String jobName(String array) {
    return "dnalab-" + root.getFileName() + "-" + array;
  }

  private static List<String> environment() {
    List<String> lines = new ArrayList<>();
    for (String name : EXPORTED) {
      String value = System.getenv(name);
      if (name.equals("DNALAB_CACHE") && System.getProperty("dnalab.cache") != null) {
        value = System.getProperty("dnalab.cache");
      }
      if (value != null) {
        lines.add(name + "=" + value);
      }
    }
    return lines;
  }

  private StageState stateOf(Stage stage, List<Submitted> submitted, Map<String, String> queue) {
    if (stage.done()) {
      return new StageState(stage, State.DONE, "");
    }
    // The newest submission that holds the key decides: an older failure was resubmitted since.
    for (int i = submitted.size() - 1; i >= 0; i--) {
      Submitted array = submitted.get(i);
      int index = array.keys().indexOf(stage.key());
      if (index < 0) {
        continue;
      }
      String task = array.jobId() + "_" + index;
      String slurmState = queue.get(task);
      if (slurmState != null) {
        State state = slurmState.equals("PENDING") ? State.QUEUED : State.RUNNING;
        return new StageState(stage, state, task);
      }
      Path failed = array.folder().resolve(SbatchScript.FAILED_FOLDER).resolve(stage.key());
      if (Files.isRegularFile(failed)) {
        return new StageState(stage, State.FAILED, read(failed).strip() + "; log "
            + array.folder().resolve("logs").resolve(array.name() + "-" + task + ".out"));
      }
      return new StageState(stage, State.MISSING, "task " + task + " ended without a result");
    }
    return new StageState(stage, State.MISSING, "");
  }

  /** One submitted array, read back from its submission folder. */
  record Submitted(Path folder, String name, String jobId, String jobName,
      List<String> keys) {
  }

  private List<Submitted> submissions() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Submitted> arrays = new ArrayList<>();
    try (Stream<Path> folders = Files.list(root)) {
      for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
        Path jobs = folder.resolve(JOBS_FILE);
        if (!Files.isRegularFile(jobs)) {
          continue;
        }
        for (String line : Files.readAllLines(jobs, StandardCharsets.UTF_8)) {
          String[] fields = line.split("\t");
          if (fields.length != 3) {
            continue;
          }
          Path keys = folder.resolve(fields[0] + ".keys");
          arrays.add(new Submitted(folder, fields[0], fields[1], fields[2],
              Files.isRegularFile(keys) ? Files.readAllLines(keys, StandardCharsets.UTF_8)
                  : List.of()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the submissions in " + root, e);
    }
    return arrays;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }
}
