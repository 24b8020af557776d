package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.engine.VisibleGpus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Round-robin placement over stated GPU lists, as VisibleGpus gives them: no GPU needed. */
class GpuPlacementTest {

  @Test
  void asManyJobsAsGpusGiveEachRunningStageAGpuOfItsOwn() {
    GpuPlacement placement = new GpuPlacement(List.of("0", "1", "2", "3"));
    assertThat(List.of(placement.acquire(), placement.acquire(), placement.acquire(),
        placement.acquire())).containsExactly("0", "1", "2", "3");
    // GPU 2's stage ends: the next stage goes there, not onto a busy GPU.
    placement.release("2");
    assertThat(placement.acquire()).isEqualTo("2");
    assertThat(placement.load()).containsExactly(1, 1, 1, 1);
  }

  @Test
  void aSubsetFromCudaVisibleDevicesPlacesOnlyOnThoseGpus() {
    GpuPlacement placement = new GpuPlacement(VisibleGpus.parseVisibleDevices("2,3"));
    // Four workers on two GPUs: shared round-robin, two each.
    assertThat(List.of(placement.acquire(), placement.acquire(), placement.acquire(),
        placement.acquire())).containsExactly("2", "3", "2", "3");
    assertThat(placement.load()).containsExactly(2, 2);
    placement.release("3");
    placement.release("3");
    assertThat(placement.acquire()).isEqualTo("3");
  }

  @Test
  void uuidsArePlacedAsGiven() {
    String first = "GPU-5b1c2d3e-0000-1111-2222-333344445555";
    String second = "MIG-8a7f0c1d-2222-3333-4444-555566667777";
    GpuPlacement placement = new GpuPlacement(
        VisibleGpus.parseVisibleDevices(first + "," + second));
    assertThat(placement.acquire()).isEqualTo(first);
    assertThat(placement.acquire()).isEqualTo(second);
    assertThat(placement.acquire()).isEqualTo(first);
  }

  @Test
  void mistakesAreRefused() {
    assertThatThrownBy(() -> new GpuPlacement(List.of()))
        .hasMessage("no GPU to place workers on");
    GpuPlacement placement = new GpuPlacement(List.of("0", "0", "1"));
    assertThat(placement.load()).as("a GPU named twice is one GPU").hasSize(2);
    assertThatThrownBy(() -> placement.release("1"))
        .hasMessage("GPU 1 was not acquired");
  }

  @Test
  void defaultJobsAreOnePerGpuWhereThereAreSeveral() {
    assertThat(WorkerPool.defaultJobs(new VisibleGpus(List.of("2", "3"), "test"))).isEqualTo(2);
    assertThat(WorkerPool.defaultJobs(new VisibleGpus(List.of("0"), "test"))).isEqualTo(1);
    assertThat(WorkerPool.defaultJobs(VisibleGpus.NONE)).isEqualTo(1);
    assertThat(WorkerPool.gpuLabel("3")).isEqualTo("GPU 3");
    assertThat(WorkerPool.gpuLabel("GPU-5b1c2d3e-0000-1111-2222-333344445555"))
        .isEqualTo("GPU-5b1c2d3e…");
  }
}
