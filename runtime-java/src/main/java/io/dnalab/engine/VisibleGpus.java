package io.dnalab.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GPUs this process may hand to worker processes, found without initialising CUDA here: a
 * parent that only schedules workers must not load the CUDA natives nor hold a context on a GPU
 * that a worker needs.
 *
 * <p>Where they come from, in order:
 *
 * <ol>
 *   <li>{@code CUDA_VISIBLE_DEVICES}, when set: the user (or Slurm's {@code --gpus}) already chose
 *       the GPUs; each worker gets one of these entries as given (an index like {@code 2} names
 *       the physical device, a {@code GPU-…}/{@code MIG-…} UUID names itself), so a subset stays a
 *       subset. CUDA's own rule applies: the list ends at the first entry that is not an index or
 *       UUID ({@code -1} hides every GPU).
 *   <li>{@code nvidia-smi -L}, which ships with every NVIDIA driver: one line per GPU, each
 *       identified by its UUID (CUDA's index order may differ from nvidia-smi's unless
 *       {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}; a UUID cannot be misread), or its MIG instances'
 *       UUIDs where MIG is on.
 *   <li>Otherwise none. DJL's {@code getGpuCount()} is not asked: it loads the PyTorch natives and
 *       CUDA into this process, the very thing this class avoids, and a machine with a driver but
 *       no nvidia-smi is rare enough that one GPU for all (no placement) is the fallback.
 * </ol>
 *
 * @param ids the GPUs, each a value for a worker's {@code CUDA_VISIBLE_DEVICES}
 * @param source where they came from, for the log line
 */
public record VisibleGpus(List<String> ids, String source) {
  private static final Pattern INDEX_OR_UUID =
      Pattern.compile("\\d+|(GPU|MIG)-[0-9A-Za-z/-]+");
  /** {@code GPU 0: NVIDIA H200 (UUID: GPU-5b1c…)}. */
  private static final Pattern SMI_GPU =
      Pattern.compile("^GPU (\\d+):.*?\\(UUID: (GPU-[^)\\s]+)\\)\\s*$");
  /** {@code   MIG 1g.18gb     Device  0: (UUID: MIG-8a7f…)}, indented under its GPU. */
  private static final Pattern SMI_MIG =
      Pattern.compile("^\\s+MIG .*\\(UUID: (MIG-[^)\\s]+)\\)\\s*$");

  public VisibleGpus {
    ids = List.copyOf(ids);
  }

  /** No GPU to place workers on. */
  public static final VisibleGpus NONE = new VisibleGpus(List.of(), "none");

  public boolean isEmpty() {
    return ids.isEmpty();
  }

  public int count() {
    return ids.size();
  }

  /** The GPUs of this machine, from this process's environment and {@code nvidia-smi}. */
  public static VisibleGpus detect() {
    return detect(System.getenv(), VisibleGpus::runNvidiaSmi);
  }

  /**
   * The GPUs named by {@code environment}'s {@code CUDA_VISIBLE_DEVICES}, else by
   * {@code nvidiaSmi}'s output ({@code nvidia-smi -L}; null where it is missing or failed).
   */
  static VisibleGpus detect(Map<String, String> environment,
      java.util.function.Supplier<String> nvidiaSmi) {
    String visible = environment.get("CUDA_VISIBLE_DEVICES");
    if (visible != null) {
      return new VisibleGpus(parseVisibleDevices(visible), "CUDA_VISIBLE_DEVICES=" + visible);
    }
    String listing = nvidiaSmi.get();
    return listing == null ? NONE : new VisibleGpus(parseNvidiaSmi(listing), "nvidia-smi -L");
  }

  /** {@code "2,3"} → [2, 3]; CUDA reads up to the first entry that is no index or UUID. */
  public static List<String> parseVisibleDevices(String value) {
    List<String> ids = new ArrayList<>();
    for (String entry : value.split(",", -1)) {
      String id = entry.trim();
      if (!INDEX_OR_UUID.matcher(id).matches()) {
        break;
      }
      ids.add(id);
    }
    return ids;
  }

  /** The UUIDs in {@code nvidia-smi -L}'s output: each GPU's, or its MIG instances' instead. */
  public static List<String> parseNvidiaSmi(String output) {
    List<String> ids = new ArrayList<>();
    String gpu = null;
    List<String> migs = new ArrayList<>();
    for (String line : output.split("\\R")) {
      Matcher gpuLine = SMI_GPU.matcher(line);
      Matcher migLine = SMI_MIG.matcher(line);
      if (gpuLine.matches()) {
        flush(ids, gpu, migs);
        gpu = gpuLine.group(2);
      } else if (migLine.matches() && gpu != null) {
        migs.add(migLine.group(1));
      }
    }
    flush(ids, gpu, migs);
    return ids;
  }

  private static void flush(List<String> ids, String gpu, List<String> migs) {
    if (gpu != null) {
      ids.addAll(migs.isEmpty() ? List.of(gpu) : migs);
    }
    migs.clear();
  }

  /** {@code nvidia-smi -L}'s output, or null where it is missing, fails or hangs (5 s). */
  private static String runNvidiaSmi() {
    try {
      Process process = new ProcessBuilder("nvidia-smi", "-L")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      // Waited for before reading: its few lines fit the pipe, and a hung driver must not hang us.
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return null;
      }
      byte[] out = process.getInputStream().readAllBytes();
      return process.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null; // no NVIDIA driver here
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Whether the PyTorch natives on {@code loader}'s classpath are a CUDA build ({@code
   * bin/dnalab setup --cuda}): read from their {@code native/lib/pytorch.properties}, as DJL
   * reads it, without loading them.
   */
  public static boolean cudaNativesOn(ClassLoader loader) {
    try {
      for (URL url : Collections.list(loader.getResources("native/lib/pytorch.properties"))) {
        Properties properties = new Properties();
        try (InputStream in = url.openStream()) {
          properties.load(in);
        }
        if (properties.getProperty("flavor", "").startsWith("cu")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@link #cudaNativesOn} for the loader that loaded dnalab. */
  public static boolean cudaNativesBuilt() {
    return cudaNativesOn(VisibleGpus.class.getClassLoader());
  }
}
