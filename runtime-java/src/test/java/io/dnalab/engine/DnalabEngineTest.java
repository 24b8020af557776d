package io.dnalab.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DnalabEngineTest {

  @Test
  void startsOfflineAndSeedsReproducibly() {
    // Whichever test starts the engine first, it starts with the environment's settings. The
    // device is whatever that machine has (a CUDA build on a GPU node picks the GPU).
    Device device = DnalabEngine.startDefault();
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
    assertThat(DnalabEngine.describe(device)).startsWith("PyTorch 2.5.1 " + device.getDeviceType());
    if ("1".equals(System.getenv("DNALAB_THREADS"))) {
      assertThat(DnalabEngine.describe(device)).endsWith("; 1 intra-op thread");
    }
    try (NDManager manager = NDManager.newBaseManager(device)) {
      DnalabEngine.seed(42);
      float[] first = manager.randomNormal(new Shape(8)).toFloatArray();
      DnalabEngine.seed(42);
      float[] second = manager.randomNormal(new Shape(8)).toFloatArray();
      DnalabEngine.seed(43);
      float[] other = manager.randomNormal(new Shape(8)).toFloatArray();
      assertThat(second).containsExactly(first);
      assertThat(other).isNotEqualTo(first);
    }
  }

  @Test
  void rejectsUnknownDeviceAndChangedThreads() {
    assertThatThrownBy(() -> DnalabEngine.DeviceChoice.parse("tpu"))
        .hasMessage("device must be one of auto, cpu, gpu; got \"tpu\"");
    DnalabEngine.startDefault();
    assertThatThrownBy(() -> DnalabEngine.start(
        new DnalabEngine.Settings(7, 3, DnalabEngine.DeviceChoice.CPU, null)))
        .hasMessageContaining("thread counts cannot change");
  }

  @Test
  void intraOpThreadCountHoldsOnThreadsOtherThanTheStartingOne() throws Exception {
    // PyTorch's intra-op count is an OpenMP setting of each native thread, and inference may run
    // on another Java thread than the one that started the engine. PyTorch sets a thread's count
    // from the process-wide one at its first parallel op; were it OpenMP's default instead (the
    // core count), a forward pass there would ignore DNALAB_THREADS. Discriminating when the
    // count differs from the cores, as with the tests' DNALAB_THREADS=1 on a multi-core machine.
    Device device = DnalabEngine.startDefault();
    int configured = TorchNatives.intraOpThreads();
    AtomicInteger onOtherThread = new AtomicInteger(-1);
    Thread other = new Thread(() -> {
      try (NDManager manager = NDManager.newBaseManager(device)) {
        manager.ones(new Shape(256, 256)).matMul(manager.ones(new Shape(256, 256))); // (256, 256)
        onOtherThread.set(TorchNatives.intraOpThreads());
      }
    });
    other.start();
    other.join();
    assertThat(onOtherThread.get()).isEqualTo(configured);
  }
}
