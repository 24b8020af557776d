package io.dnalab.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * DJL engine set-up for dnalab: offline, no telemetry, a known cache folder for the unpacked
 * PyTorch natives, explicit thread counts, CPU or GPU, deterministic seeding.
 *
 * <p>DJL reads its settings once, when the engine is first created, so {@link #start} must run
 * before any other DJL call. It is idempotent for the same settings and refuses different thread
 * settings afterwards (PyTorch cannot change its inter-op pool once it has started), rather than
 * silently running with the old ones.
 */
public final class DnalabEngine {

  /** Which device models train on. */
  public enum DeviceChoice {
    /** The first GPU when DJL sees one (CUDA natives and a driver), otherwise the CPU. */
    AUTO,
    CPU,
    GPU;

    public static DeviceChoice parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "device must be one of auto, cpu, gpu; got \"" + value + "\"", e);
      }
    }
  }

  /**
   * Engine settings.
   *
   * @param intraOpThreads threads inside one operator (PyTorch {@code set_num_threads}); 0 keeps
   *     PyTorch's default (the number of cores)
   * @param interOpThreads threads across independent operators; 0 keeps the default
   * @param device where tensors live
   * @param cacheDir where DJL unpacks its natives; null keeps DJL_CACHE_DIR or DJL's default
   */
  public record Settings(int intraOpThreads, int interOpThreads, DeviceChoice device,
      Path cacheDir) {
    public Settings {
      if (intraOpThreads < 0 || interOpThreads < 0) {
        throw new IllegalArgumentException("thread counts must be >= 0, got intra-op "
            + intraOpThreads + ", inter-op " + interOpThreads);
      }
      Objects.requireNonNull(device, "device");
    }

    /** PyTorch's own thread defaults, the best device available, DJL's cache folder. */
    public static Settings defaults() {
      return new Settings(0, 0, DeviceChoice.AUTO, null);
    }

    /** Reads {@code DNALAB_THREADS} and {@code DNALAB_DEVICE} from the environment. */
    public static Settings fromEnvironment() {
      String threads = System.getenv("DNALAB_THREADS");
      String device = System.getenv("DNALAB_DEVICE");
      int intra;
      try {
        intra = threads == null || threads.isBlank() ? 0 : Integer.parseInt(threads.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "DNALAB_THREADS must be a whole number, got \"" + threads + "\"", e);
      }
      return new Settings(intra, intra == 0 ? 0 : 1,
          device == null || device.isBlank() ? DeviceChoice.AUTO : DeviceChoice.parse(device),
          null);
    }
  }

  private static Settings started;

  private DnalabEngine() {}

  /** Configures and starts the PyTorch engine; returns the device models should use. */
  public static synchronized Device start(Settings settings) {
    if (started != null) {
      if (started.intraOpThreads() != settings.intraOpThreads()
          || started.interOpThreads() != settings.interOpThreads()) {
        throw new IllegalStateException("the engine already runs with " + started
            + "; thread counts cannot change inside one JVM (asked for " + settings + ")");
      }
      return resolveDevice(settings.device());
    }
    // Offline and no telemetry: DJL checks these (env or system property) before any download.
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("DJL_OFFLINE", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    if (settings.cacheDir() != null) {
      System.setProperty("DJL_CACHE_DIR", settings.cacheDir().toAbsolutePath().toString());
      System.setProperty("ENGINE_CACHE_DIR", settings.cacheDir().toAbsolutePath().toString());
    }
    if (settings.intraOpThreads() > 0) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(settings.intraOpThreads()));
    }
    if (settings.interOpThreads() > 0) {
      System.setProperty("ai.djl.pytorch.num_interop_threads",
          Integer.toString(settings.interOpThreads()));
    }
    Engine.getEngine("PyTorch"); // loads the natives with the settings above
    started = settings;
    return resolveDevice(settings.device());
  }

  /** Starts with {@link Settings#fromEnvironment()} unless already started. */
  public static synchronized Device startDefault() {
    return start(started != null ? started : Settings.fromEnvironment());
  }

  private static Device resolveDevice(DeviceChoice choice) {
    Engine engine = Engine.getEngine("PyTorch");
    int gpus = engine.getGpuCount();
    return switch (choice) {
      case CPU -> Device.cpu();
      case GPU -> {
        if (gpus == 0) {
          throw new IllegalStateException("device gpu was asked for, but DJL sees no GPU: build "
              + "with -Pcuda (CUDA 12.4 natives) on a machine with a CUDA >= 12.4 driver");
        }
        yield Device.gpu();
      }
      case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
    };
  }

  /**
   * Seeds PyTorch's generators (parameter initialisation, dropout) on every device. Java-side
   * randomness (shuffling) takes its own {@code java.util.Random} from the same seed.
   */
  public static void seed(long seed) {
    startDefault();
    // DJL's setRandomSeed takes an int and calls torch.manual_seed, which seeds CPU and CUDA.
    Engine.getEngine("PyTorch").setRandomSeed((int) (seed ^ (seed >>> 32)));
  }

  /**
   * A one-line description for logs and run records, e.g. {@code PyTorch 2.5.1 cpu(); 2 intra-op
   * threads} (no comma, so it sits in a CSV cell unquoted).
   */
  public static String describe(Device device) {
    Engine engine = Engine.getEngine("PyTorch");
    int threads = TorchNatives.intraOpThreads();
    return engine.getEngineName() + " " + engine.getVersion() + " " + device
        + "; " + threads + " intra-op thread" + (threads == 1 ? "" : "s");
  }
}
