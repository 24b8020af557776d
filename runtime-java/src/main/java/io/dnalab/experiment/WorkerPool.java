package io.dnalab.experiment;

import io.dnalab.engine.VisibleGpus;
import io.dnalab.result.RunResult;
import io.dnalab.spec.SpecJson;
import io.dnalab.store.ResultStore;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the stages of a {@link Plan} in up to {@code jobs} worker processes at once on this
 * machine. Each worker is {@code java … io.dnalab.cli.DnalabCli run SPEC.json --stage KEY} with
 * this JVM's java, options and classpath: it runs exactly that stage, claims it
 * ({@link StageClaims}) and publishes its output (an artifact, or a result file for a run:
 * {@link ResultFiles}); it never writes the result store. This process imports each run as its
 * worker ends, so the store has one writer.
 *
 * <p>Scheduling: a stage starts once every stage it reads (tokenizer → pretraining → fine-tuning)
 * is done, in plan order. Threads are split: each worker gets {@code DNALAB_THREADS = cores /
 * jobs} (at least 1), so {@code jobs} workers never oversubscribe the cores, and the passive
 * OpenMP wait policy ({@link #THREAD_POLICY}). A worker's output lines are printed prefixed by
 * its stage ({@code [3f2a9c1b07de convnova seed 2] …}). A failed worker fails its stage and the
 * stages that read it, with its last lines shown; the others go on, and the execution then fails
 * naming every failed stage.
 *
 * <p>GPUs: given a list of GPUs ({@link io.dnalab.engine.VisibleGpus}), each worker sees exactly
 * one through {@code CUDA_VISIBLE_DEVICES} ({@link GpuPlacement}: one stage per GPU while there
 * are as many jobs as GPUs), and the pool prints which GPU each stage runs on. A worker then
 * trains on its {@code gpu(0)}, which is that GPU.
 */
public final class WorkerPool {
  /** The main class a worker runs (named, not imported: the CLI is the layer above). */
  public static final String WORKER_MAIN = "io.dnalab.cli.DnalabCli";
  /**
   * OpenMP's passive wait policy: an idle OpenMP thread sleeps instead of spinning, so a worker
   * never burns a core another process needs (bench/results/thread-policy.md).
   */
  public static final Map<String, String> THREAD_POLICY = Map.of("OMP_WAIT_POLICY", "PASSIVE");
  /** How many lines of a failed worker's output are shown. */
  static final int TAIL_LINES = 20;

  private final List<String> command;
  private final Map<String, String> environment;
  private final int jobs;
  private final PrintStream out;
  /** Null without GPUs: workers inherit this process's view of the devices. */
  private final GpuPlacement gpus;

  /**
   * @param command the worker's command up to (not including) {@code run}: java, JVM options,
   *     classpath, main class ({@link #currentJvm()})
   * @param environment added to this process's environment for every worker (e.g. the cache)
   * @param jobs workers at once, at least 1
   * @param out where worker lines go, prefixed by their stage
   */
  public WorkerPool(List<String> command, Map<String, String> environment, int jobs,
      PrintStream out) {
    this(command, environment, jobs, List.of(), out);
  }

  /**
   * A pool that places each worker on one of {@code gpus} (values for its
   * {@code CUDA_VISIBLE_DEVICES}); none: no placement.
   */
  public WorkerPool(List<String> command, Map<String, String> environment, int jobs,
      List<String> gpus, PrintStream out) {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
    }
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.jobs = jobs;
    this.out = out;
    this.gpus = gpus.isEmpty() ? null : new GpuPlacement(gpus);
  }

  /**
   * The default number of workers: one per core the JVM may use
   * ({@link Runtime#availableProcessors()}, which honours CPU affinity and container limits), at
   * most 8 (each worker holds a JVM, the PyTorch natives and its task in memory, about 1 GB).
   */
  public static int defaultJobs() {
    return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
  }

  /** {@code cores / jobs}, at least 1: the intra-op threads of each of {@code jobs} workers. */
  public static int threadsPerWorker(int jobs) {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, jobs));
  }

  /**
   * This JVM as a worker command: its java, its options (debug agents left out), its classpath
   * (plus the jars of the class loader that loaded dnalab, as in a notebook kernel, where the
   * project is not on the JVM's own classpath) and {@link #WORKER_MAIN}.
   */
  public static List<String> currentJvm() {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.add(java);
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent")
          && !option.startsWith("-Xrunjdwp") && !option.startsWith("-Djava.class.path")) {
        command.add(option);
      }
    }
    command.add("-cp");
    command.add(classpath());
    command.add(WORKER_MAIN);
    return command;
  }

  private static String classpath() {
    Set<String> entries = new LinkedHashSet<>();
    String override = System.getenv("DNALAB_WORKER_CLASSPATH");
    if (override != null && !override.isBlank()) {
      return override;
    }
    for (ClassLoader loader = WorkerPool.class.getClassLoader(); loader != null;
        loader = loader.getParent()) {
      if (loader instanceof URLClassLoader urls) {
        for (URL url : urls.getURLs()) {
          try {
            entries.add(Path.of(url.toURI()).toString());
          } catch (URISyntaxException | IllegalArgumentException e) {
            // not a local file: a worker could not load it anyway
          }
        }
      }
    }
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        entries.add(entry);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** A worker that ended: its stage, exit status and last lines. */
  private record Finished(Stage stage, int exit, List<String> tail, double seconds) {}

  /** A running worker. */
  private static final class Running {
    final Stage stage;
    final Process process;
    final Deque<String> tail = new ArrayDeque<>();
    final long started = System.nanoTime();
    /** The GPU it was placed on; null without placement. */
    final String gpu;
    Thread reader;

    Running(Stage stage, Process process, String gpu) {
      this.stage = stage;
      this.process = process;
      this.gpu = gpu;
    }
  }

  /**
   * Runs every stage of {@code plan} that is not done, reading the spec from {@code specFile}
   * (the same spec: a worker re-plans it and finds the stage by key), then returns one result per
   * fine-tuning stage in plan order, read from {@code store}, into which each run is imported.
   *
   * @throws WorkerFailure when a stage failed (after every stage that could run has run)
   */
  public List<RunResult> execute(Plan plan, Path specFile, ArtifactStore artifacts,
      ResultStore store, ExecutionListener listener) {
    ResultFiles files = ResultFiles.of(artifacts);
    files.importInto(store);
    listener.onPlan(plan);
    Set<String> done = new HashSet<>();
    List<Stage> waiting = new ArrayList<>();
    for (Stage stage : plan.stages()) {
      if (stage.done() || isDone(stage, artifacts, files)) {
        done.add(stage.key());
        listener.onStageSkipped(stage);
      } else {
        waiting.add(stage);
      }
    }
    Map<String, Finished> failed = new HashMap<>();
    List<Running> running = new java.util.concurrent.CopyOnWriteArrayList<>();
    // A parent stopped (Ctrl-C, a killed notebook kernel) stops its workers: none is orphaned.
    Thread stopWorkers = new Thread(() -> running.forEach(r -> r.process.destroy()),
        "dnalab-stop-workers");
    Runtime.getRuntime().addShutdownHook(stopWorkers);
    try {
      return execute(plan, specFile, artifacts, store, files, listener, done, waiting, failed,
          running);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopWorkers);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs now
      }
    }
  }

  private List<RunResult> execute(Plan plan, Path specFile, ArtifactStore artifacts,
      ResultStore store, ResultFiles files, ExecutionListener listener, Set<String> done,
      List<Stage> waiting, Map<String, Finished> failed, List<Running> running) {
    int threads = threadsPerWorker(jobs);
    while (!waiting.isEmpty() || !running.isEmpty()) {
      // Stages whose input failed can never run: they fail with it.
      for (Stage stage : List.copyOf(waiting)) {
        for (String input : stage.inputs()) {
          if (failed.containsKey(input)) {
            waiting.remove(stage);
            failed.put(stage.key(), new Finished(stage, -1, List.of("not run: its input "
                + failed.get(input).stage().label() + " failed"), 0));
            break;
          }
        }
      }
      while (running.size() < jobs) {
        Stage next = waiting.stream().filter(s -> done.containsAll(s.inputs())).findFirst()
            .orElse(null);
        if (next == null) {
          break;
        }
        waiting.remove(next);
        listener.onStageStart(next);
        running.add(start(next, specFile, threads));
      }
      if (running.isEmpty()) {
        break;
      }
      Running ended = awaitAny(running);
      running.remove(ended);
      if (ended.gpu != null) {
        gpus.release(ended.gpu);
      }
      List<String> tail;
      synchronized (ended.tail) {
        tail = List.copyOf(ended.tail);
      }
      Finished finished = new Finished(ended.stage, ended.process.exitValue(), tail, (System.nanoTime() - ended.started) / 1e9);
      files.importInto(store);
      if (finished.exit() == 0 && isDone(ended.stage, artifacts, files)) {
        done.add(ended.stage.key());
        RunResult result = ended.stage.kind() == Stage.Kind.FINETUNE
            ? store.find(ended.stage.key()).orElseThrow().result() : null;
        listener.onStageEnd(ended.stage, finished.seconds(), result);
      } else {
        failed.put(ended.stage.key(), finished);
        synchronized (out) {
          out.printf(Locale.ROOT, "FAILED %s (%s), exit status %d; its last lines:%n",
              ended.stage.label(), ended.stage.shortKey(), finished.exit());
          finished.tail().forEach(line -> out.println("  | " + line));
        }
      }
    }
    if (!failed.isEmpty()) {
      throw new WorkerFailure(failed.values().stream()
          .map(f -> f.stage().label() + " (" + f.stage().shortKey() + "): "
              + (f.exit() < 0 ? f.tail().get(0) : "exit status " + f.exit() + ", last line: "
              + (f.tail().isEmpty() ? "(none)" : f.tail().get(f.tail().size() - 1))))
          .toList());
    }
    List<RunResult> runs = new ArrayList<>();
    for (Stage stage : plan.stages(Stage.Kind.FINETUNE)) {
      RunResult r = store.find(stage.key()).orElseThrow(() -> new IllegalStateException(
          "run " + stage.label() + " finished but is not in " + store.file())).result();
      runs.add(new RunResult(plan.spec().name(), r.task(), r.tokenizer(), r.model(),
          r.pretrain(), r.seed(), r.dev(), r.test(), r.parameters(), r.wallSeconds(), r.epochs(),
          r.steps(), r.bestEpoch(), r.device(), r.tokensSeen(), r.flops()));
    }
    return List.copyOf(runs);
  }

  /** Done by now: its artifact exists, or its result file (imported into the store here). */
  private static boolean isDone(Stage stage, ArtifactStore artifacts, ResultFiles files) {
    return switch (stage.kind()) {
      case TOKENIZER, PRETRAIN -> artifacts.contains(stage.kind().artifactKind(), stage.key());
      case FINETUNE -> files.contains(stage.key());
    };
  }

  private Running start(Stage stage, Path specFile, int threads) {
    List<String> argv = new ArrayList<>(command);
    argv.addAll(List.of("run", specFile.toString(), "--stage", stage.key()));
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().putAll(environment);
    builder.environment().put("DNALAB_THREADS", Integer.toString(threads));
    builder.environment().putAll(THREAD_POLICY);
    String gpu = gpus == null ? null : gpus.acquire();
    if (gpu != null) {
      builder.environment().put("CUDA_VISIBLE_DEVICES", gpu);
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      if (gpu != null) {
        gpus.release(gpu);
      }
      throw new UncheckedIOException("cannot start a worker (" + argv.get(0) + "): "
          + e.getMessage(), e);
    }
    String prefix = "[" + stage.shortKey() + " " + shortLabel(stage)
        + (gpu == null ? "" : " " + gpuLabel(gpu)) + "] ";
    if (gpu != null) {
      synchronized (out) {
        out.printf(Locale.ROOT, "gpu   %s (%s) on %s (CUDA_VISIBLE_DEVICES=%s)%n", stage.label(),
            stage.shortKey(), gpuLabel(gpu), gpu);
      }
    }
    Running running = new Running(stage, process, gpu);
    running.reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(
          process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          synchronized (running.tail) {
            running.tail.addLast(line);
            if (running.tail.size() > TAIL_LINES) {
              running.tail.removeFirst();
            }
          }
          synchronized (out) {
            out.println(prefix + line);
          }
        }
      } catch (IOException ignored) {
        // the worker ended; its exit status tells the rest
      }
    }, "dnalab-worker-" + stage.shortKey());
    running.reader.setDaemon(true);
    running.reader.start();
    return running;
  }

  /** {@code GPU 3}, or {@code GPU-5b1c…} for a UUID (its first 12 characters tell GPUs apart). */
  static String gpuLabel(String gpu) {
    return gpu.chars().allMatch(Character::isDigit) ? "GPU " + gpu
        : gpu.length() <= 16 ? gpu : gpu.substring(0, 12) + "…";
  }

  /** {@code convnova-d32-k5 seed 2}: the model and seed, enough to tell workers apart. */
  private static String shortLabel(Stage stage) {
    return switch (stage.kind()) {
      case TOKENIZER -> "tokenizer " + stage.cell().tokenizer().id();
      case PRETRAIN -> "pretrain " + stage.cell().model().id();
      case FINETUNE -> stage.cell().model().id() + " seed " + stage.seed();
    };
  }

  private static Running awaitAny(List<Running> running) {
    while (true) {
      for (Running r : running) {
        if (!r.process.isAlive()) {
          try {
            r.reader.join(TimeUnit.SECONDS.toMillis(10));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return r;
        }
      }
      try {
        running.get(0).process.waitFor(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        running.forEach(r -> r.process.destroy());
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted; the workers were stopped", e);
      }
    }
  }

  /** Stages whose worker failed; the message names each with its last line. */
  public static final class WorkerFailure extends RuntimeException {
    private final List<String> stages;

    WorkerFailure(List<String> stages) {
      super(stages.size() + " stage" + (stages.size() == 1 ? "" : "s") + " failed: "
          + String.join("; ", stages));
      this.stages = List.copyOf(stages);
    }

    public List<String> stages() {
      return stages;
    }
  }

  /**
   * Runs {@code plan} on the stores of {@code engine} in {@code jobs} workers of this JVM's kind
   * ({@link #currentJvm()}), relaying their lines to {@code out}; see
   * {@link #execute(Plan, Path, ArtifactStore, ResultStore, ExecutionListener)}.
   *
   * @param environment added to each worker's environment (the cache folder, the device)
   */
  public static List<RunResult> run(ExperimentEngine engine, Plan plan, int jobs,
      Map<String, String> environment, ExecutionListener listener, PrintStream out) {
    return run(engine, plan, jobs, List.of(), environment, listener, out);
  }

  /** {@link #run(ExperimentEngine, Plan, int, Map, ExecutionListener, PrintStream)}, each worker
   * on one of {@code gpus} (see {@link #workerGpus}). */
  public static List<RunResult> run(ExperimentEngine engine, Plan plan, int jobs,
      List<String> gpus, Map<String, String> environment, ExecutionListener listener,
      PrintStream out) {
    Path specFile = writeSpec(plan, engine.artifacts());
    return new WorkerPool(currentJvm(), environment, jobs, gpus, out).execute(plan, specFile,
        engine.artifacts(), engine.results(), listener);
  }

  /**
   * The GPUs workers are placed on: this machine's ({@link VisibleGpus#detect()}) when the
   * PyTorch natives are a CUDA build and the device may be a GPU; otherwise none (a CPU build
   * would not use them, and {@code --device cpu} asks for none).
   */
  public static VisibleGpus workerGpus(boolean cpuOnly) {
    return cpuOnly || !VisibleGpus.cudaNativesBuilt() ? VisibleGpus.NONE : VisibleGpus.detect();
  }

  /**
   * The default number of workers given these GPUs: one per GPU where there are several (each
   * stage on a GPU of its own), else 1 (in this process, which uses the one GPU, if any).
   */
  public static int defaultJobs(VisibleGpus gpus) {
    return gpus.count() > 1 ? gpus.count() : 1;
  }

  /** Writes {@code plan}'s spec where workers can read it; returns the file. */
  public static Path writeSpec(Plan plan, ArtifactStore artifacts) {
    try {
      Path folder = artifacts.root().resolve("specs");
      Files.createDirectories(folder);
      String json = SpecJson.write(plan.spec());
      Path file = folder.resolve(SpecJson.sha256Text(json).substring(0, 16) + ".json");
      if (!Files.exists(file)) {
        Path temp = Files.createTempFile(folder, ".spec", ".tmp");
        Files.writeString(temp, json);
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the spec for the workers: " + e.getMessage(), e);
    }
  }
}
