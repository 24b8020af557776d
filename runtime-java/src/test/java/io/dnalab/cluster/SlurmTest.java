package io.dnalab.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlurmTest {
  @TempDir
  Path dir;

  @Test
  void submitPassesTheDependenciesAndReadsTheJobId() throws Exception {
    FakeSlurm fake = new FakeSlurm(dir.resolve("bin"));
    Slurm slurm = new Slurm(fake.bin);
    assertThat(slurm.submit(Path.of("/x/a.sbatch"), List.of())).isEqualTo("100");
    assertThat(slurm.submit(Path.of("/x/b.sbatch"), List.of("100", "97"))).isEqualTo("101");
    assertThat(fake.sbatchCalls()).containsExactly("--parsable /x/a.sbatch",
        "--parsable --dependency=afterok:100:97 --kill-on-invalid-dep=yes /x/b.sbatch");
  }

  @Test
  void queueReadsOneStatePerArrayTaskOfTheNamedJobs() throws Exception {
    FakeSlurm fake = new FakeSlurm(dir.resolve("bin"));
    fake.queue("100_0|RUNNING", "100_2|PENDING", "55|RUNNING", "101_[0-3]|PENDING", "");
    Slurm slurm = new Slurm(fake.bin);
    assertThat(slurm.states(List.of("dnalab-q-finetune", "dnalab-q-pretrain")))
        .containsExactly(java.util.Map.entry("100_0", "RUNNING"),
            java.util.Map.entry("100_2", "PENDING"));
    assertThat(fake.squeueCalls()).containsExactly("--noheader --array --noconvert "
        + "--name=dnalab-q-finetune,dnalab-q-pretrain --format=%i|%T");
    assertThat(slurm.states(List.of())).isEmpty();
  }

  @Test
  void aRefusalIsOneLineNamingTheCommand() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("refusing"));
    Path sbatch = bin.resolve("sbatch");
    Files.writeString(sbatch, "#!/usr/bin/env bash\necho 'sbatch: error: invalid partition "
        + "specified: gpu' >&2\necho 'second line' >&2\nexit 1\n", StandardCharsets.UTF_8);
    sbatch.toFile().setExecutable(true);
    assertThatThrownBy(() -> new Slurm(bin).submit(Path.of("/x/a.sbatch"), List.of()))
        .isInstanceOf(SlurmException.class)
        .hasMessage("sbatch failed (exit 1): sbatch: error: invalid partition specified: gpu");
    Files.writeString(sbatch, "#!/usr/bin/env bash\necho 'Submitted batch job 12'\n",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> new Slurm(bin).submit(Path.of("/x/a.sbatch"), List.of()))
        .hasMessageContaining("did not print a job id");
  }
}
