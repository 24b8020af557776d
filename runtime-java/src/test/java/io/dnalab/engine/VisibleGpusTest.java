package io.dnalab.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPU discovery from stated environments and nvidia-smi listings: no GPU, no CUDA needed. */
class VisibleGpusTest {
  /** nvidia-smi -L on a 4-GPU node (the format of driver 535-560). */
  private static final String FOUR_GPUS = """
      GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-5b1c2d3e-0000-1111-2222-333344445555)
      GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-6c2d3e4f-0000-1111-2222-333344445555)
      GPU 2: NVIDIA H100 80GB HBM3 (UUID: GPU-7d3e4f50-0000-1111-2222-333344445555)
      GPU 3: NVIDIA H100 80GB HBM3 (UUID: GPU-8e4f5061-0000-1111-2222-333344445555)
      """;

  @Test
  void cudaVisibleDevicesDecidesAndNvidiaSmiIsThenNotAsked() {
    AtomicBoolean asked = new AtomicBoolean();
    VisibleGpus subset = VisibleGpus.detect(Map.of("CUDA_VISIBLE_DEVICES", "2,3"), () -> {
      asked.set(true);
      return FOUR_GPUS;
    });
    assertThat(subset.ids()).containsExactly("2", "3");
    assertThat(subset.source()).isEqualTo("CUDA_VISIBLE_DEVICES=2,3");
    assertThat(asked).isFalse();

    String uuids = "GPU-5b1c2d3e-0000-1111-2222-333344445555, "
        + "MIG-8a7f0c1d-2222-3333-4444-555566667777";
    assertThat(VisibleGpus.detect(Map.of("CUDA_VISIBLE_DEVICES", uuids), () -> null).ids())
        .containsExactly("GPU-5b1c2d3e-0000-1111-2222-333344445555",
            "MIG-8a7f0c1d-2222-3333-4444-555566667777");
    // Set but empty, or -1: the user hid every GPU.
    assertThat(VisibleGpus.detect(Map.of("CUDA_VISIBLE_DEVICES", ""), () -> FOUR_GPUS).ids())
        .isEmpty();
    assertThat(VisibleGpus.detect(Map.of("CUDA_VISIBLE_DEVICES", "-1"), () -> FOUR_GPUS).ids())
        .isEmpty();
  }

  @Test
  void cudasRuleEndsTheListAtTheFirstInvalidEntry() {
    assertThat(VisibleGpus.parseVisibleDevices("0,2,-1,3")).containsExactly("0", "2");
    assertThat(VisibleGpus.parseVisibleDevices(" 1 , 0 ")).containsExactly("1", "0");
    assertThat(VisibleGpus.parseVisibleDevices("NoDevFiles")).isEmpty();
  }

  @Test
  void withoutCudaVisibleDevicesNvidiaSmiListsTheGpusByUuid() {
    VisibleGpus gpus = VisibleGpus.detect(Map.of(), () -> FOUR_GPUS);
    assertThat(gpus.source()).isEqualTo("nvidia-smi -L");
    assertThat(gpus.ids()).containsExactly("GPU-5b1c2d3e-0000-1111-2222-333344445555",
        "GPU-6c2d3e4f-0000-1111-2222-333344445555", "GPU-7d3e4f50-0000-1111-2222-333344445555",
        "GPU-8e4f5061-0000-1111-2222-333344445555");
    // No driver (nvidia-smi missing or failing): no GPUs, no placement.
    assertThat(VisibleGpus.detect(Map.of(), () -> null)).isEqualTo(VisibleGpus.NONE);
  }

  @Test
  void aGpuSplitIntoMigInstancesGivesItsInstances() {
    String listing = """
        GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-aaaa0000-0000-1111-2222-333344445555)
          MIG 3g.20gb     Device  0: (UUID: MIG-bbbb0000-0000-1111-2222-333344445555)
          MIG 3g.20gb     Device  1: (UUID: MIG-cccc0000-0000-1111-2222-333344445555)
        GPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-dddd0000-0000-1111-2222-333344445555)
        """;
    assertThat(VisibleGpus.parseNvidiaSmi(listing)).containsExactly(
        "MIG-bbbb0000-0000-1111-2222-333344445555", "MIG-cccc0000-0000-1111-2222-333344445555",
        "GPU-dddd0000-0000-1111-2222-333344445555");
  }

  @Test
  void theCudaBuildIsReadFromTheNativesPropertiesWithoutLoadingThem(@TempDir Path dir)
      throws Exception {
    Path cpu = natives(dir.resolve("cpu"), "cpu");
    Path cuda = natives(dir.resolve("cu124"), "cu124");
    try (URLClassLoader cpuOnly = new URLClassLoader(new URL[] {cpu.toUri().toURL()}, null);
        URLClassLoader both = new URLClassLoader(
            new URL[] {cpu.toUri().toURL(), cuda.toUri().toURL()}, null);
        URLClassLoader none = new URLClassLoader(new URL[0], null)) {
      assertThat(VisibleGpus.cudaNativesOn(cpuOnly)).isFalse();
      assertThat(VisibleGpus.cudaNativesOn(both)).isTrue();
      assertThat(VisibleGpus.cudaNativesOn(none)).isFalse();
    }
    // This build's test classpath carries the cpu natives (the default flavour).
    assertThat(VisibleGpus.cudaNativesBuilt()).isFalse();
  }

  /** A classpath folder with DJL's {@code native/lib/pytorch.properties} of {@code flavor}. */
  private static Path natives(Path root, String flavor) throws Exception {
    Path file = root.resolve("native/lib/pytorch.properties");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "version=2.5.1-20241113\nflavor=" + flavor
        + "\nclassifier=linux-x86_64\n");
    return root;
  }
}
