package io.dnalab.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SbatchScriptTest {
  @TempDir
  Path dir;

  private ArrayJob job(List<String> command) {
    return new ArrayJob("finetune", "dnalab-q-finetune", "fine-tuning stages of q (2)",
        List.of("k0", "k1"), command, List.of("DNALAB_DATA=/data with space/it's"), List.of());
  }

  @Test
  void directivesFollowTheOptionsAndOnlyThoseAsked() {
    String all = SbatchScript.render(job(List.of("echo", ArrayJob.KEY)),
        new SlurmOptions("gpu", 1, 4, "2:00:00", 3), dir);
    assertThat(all).contains("#SBATCH --job-name=dnalab-q-finetune\n", "#SBATCH --array=0-1%3\n",
        "#SBATCH --partition=gpu\n", "#SBATCH --cpus-per-task=4\n", "#SBATCH --gpus-per-task=1\n",
        "#SBATCH --time=2:00:00\n", "#SBATCH --output=" + dir.resolve("logs") + "/finetune-%A_%a.out");
    String none = SbatchScript.render(job(List.of("echo", ArrayJob.KEY)),
        SlurmOptions.defaults(), dir);
    assertThat(none).contains("#SBATCH --array=0-1\n")
        .doesNotContain("--partition", "--cpus-per-task", "--gpus-per-task", "--time");
  }

  @Test
  void eachTaskRunsTheKeyOfItsLineAndAFailureLeavesAMarker() throws Exception {
    // The rendered script itself runs under bash as Slurm would run it, with the variables
    // Slurm sets for an array task.
    Path out = dir.resolve("ran.txt");
    ArrayJob job = job(List.of("bash", "-c", "echo \"$0 $DNALAB_DATA $DNALAB_THREADS\" >> "
        + out + "; [ \"$0\" != k1 ]", ArrayJob.KEY));
    Files.write(dir.resolve(SbatchScript.keysFileName(job)), job.keys(), StandardCharsets.UTF_8);
    Path script = dir.resolve(SbatchScript.scriptFileName(job));
    Files.writeString(script, SbatchScript.render(job, SlurmOptions.defaults(), dir));
    assertThat(runTask(script, 0, Map.of("SLURM_CPUS_PER_TASK", "3"))).isZero();
    assertThat(runTask(script, 1, Map.of())).isEqualTo(1);
    assertThat(runTask(script, 2, Map.of())).isEqualTo(2); // no line 3: refused, nothing run
    assertThat(Files.readAllLines(out)).containsExactly("k0 /data with space/it's 3",
        "k1 /data with space/it's 1");
    assertThat(Files.readString(dir.resolve("failed/k1"))).isEqualTo("exit 1, job 77_1\n");
    assertThat(dir.resolve("failed/k0")).doesNotExist();
  }

  @Test
  void optionsOutsideSbatchsFormsAreRefused() {
    assertThatThrownBy(() -> new SlurmOptions("gpu;rm", 0, 0, null, 0))
        .hasMessageContaining("--partition");
    assertThatThrownBy(() -> new SlurmOptions(null, 0, 0, "two hours", 0))
        .hasMessageContaining("--time must be one of sbatch's forms");
    assertThatThrownBy(() -> new SlurmOptions(null, -1, 0, null, 0))
        .hasMessageContaining(">= 0");
    assertThat(new SlurmOptions(null, 0, 0, "1-12:00:00", 0).time()).isEqualTo("1-12:00:00");
  }

  private static int runTask(Path script, int index, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).inheritIO();
    builder.environment().put("SLURM_ARRAY_TASK_ID", String.valueOf(index));
    builder.environment().put("SLURM_ARRAY_JOB_ID", "77");
    builder.environment().remove("DNALAB_THREADS");
    builder.environment().putAll(env);
    return builder.start().waitFor();
  }
}
