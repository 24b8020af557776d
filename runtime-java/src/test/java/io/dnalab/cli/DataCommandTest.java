package io.dnalab.cli;

import static io.dnalab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {
  @TempDir Path temp;

  static Path data() {
    String env = System.getenv("DNALAB_DATA");
    Path root = env != null && !env.isBlank() ? Path.of(env)
        : Path.of("..", "..", "shared", "datasets").toAbsolutePath().normalize();
    if (!Files.isDirectory(root.resolve("gue"))) {
      throw new IllegalStateException("real test data not found at " + root
          + ": set DNALAB_DATA to the shared datasets folder");
    }
    return root;
  }

  /** The split sizes of /work/shared/datasets/README.md, typed in from its tables. */
  static final Map<String, int[]> README_SIZES = new LinkedHashMap<>();

  static {
    README_SIZES.put("prom_core_all", new int[] {47_356, 5_920, 5_920});
    README_SIZES.put("prom_core_notata", new int[] {42_452, 5_307, 5_307});
    README_SIZES.put("prom_core_tata", new int[] {4_904, 613, 613});
    README_SIZES.put("tf_0", new int[] {32_378, 1_000, 1_000});
    README_SIZES.put("tf_1", new int[] {30_672, 1_000, 1_000});
    README_SIZES.put("tf_2", new int[] {19_000, 1_000, 1_000});
    README_SIZES.put("tf_3", new int[] {27_294, 1_000, 1_000});
    README_SIZES.put("tf_4", new int[] {19_000, 1_000, 1_000});
    README_SIZES.put("prom_300_all", new int[] {-1, 5_920, 5_920});
    README_SIZES.put("prom_300_notata", new int[] {-1, 5_307, 5_307});
    README_SIZES.put("splice_reconstructed", new int[] {-1, 4_562, 4_562});
  }

  @Test
  void checkReproducesTheReadmeSplitSizes() {
    for (Map.Entry<String, int[]> e : README_SIZES.entrySet()) {
      CliRun run = run("data", "check", "gue/" + e.getKey(), "--data", data().toString(),
          "--cache", temp.resolve("cache").toString());
      assertThat(run.exitCode()).as(e.getKey() + ": " + run.err()).isZero();
      String[] names = {"train", "dev", "test"};
      for (int i = 0; i < 3; i++) {
        if (e.getValue()[i] < 0) {
          assertThat(run.out()).contains("train: the official train split is not available here");
        } else {
          assertThat(run.out()).as(e.getKey())
              .containsPattern("(?m)^" + names[i] + " +" + e.getValue()[i] + " ");
        }
      }
      assertThat(run.out()).contains("every file matches the catalog's sha256");
    }
  }

  @Test
  void strictTurnsLeakageIntoExitStatusTwo() {
    CliRun lenient = run("data", "check", "gue/prom_core_tata", "--data", data().toString(),
        "--cache", temp.resolve("cache").toString());
    assertThat(lenient.exitCode()).isZero();
    assertThat(lenient.out()).contains("warning   dev vs train: 8 exact and 22 near duplicates")
        .endsWith("OK with 5 warning(s)\n");
    CliRun strict = run("data", "check", "gue/prom_core_tata", "--strict", "--data",
        data().toString(), "--cache", temp.resolve("cache").toString());
    assertThat(strict.exitCode()).isEqualTo(2);
  }

  @Test
  void invalidDataExitsWithOneAndTheLocation() throws Exception {
    Path folder = temp.resolve("bad");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("train.csv"), "sequence,label\nACGT,0\nACRT,1\n");
    Files.writeString(folder.resolve("dev.csv"), "sequence,label\nACGT,0\n");
    Files.writeString(folder.resolve("test.csv"), "sequence,label\nACGT,1\n");

    CliRun run = run("data", "check", folder.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("dnalab data check: " + folder.resolve("train.csv") + ":3:3: IUPAC"
        + " ambiguity code 'R' at base 3 is not accepted (only A, C, G, T, N); replace it with N"
        + " or drop the record (value \"ACRT\")\n");

    CliRun skipping = run("data", "check", folder.toString(), "--skip-bad-records");
    assertThat(skipping.exitCode()).isZero();
    assertThat(skipping.out()).contains("skipped   1 bad records (asked for)")
        .contains("note      skipped: " + folder.resolve("train.csv") + ":3:3: IUPAC");
  }

  @Test
  void builtinTaskChecksCleanWithoutDataFolder() {
    CliRun run = run("data", "check", "builtin/leptospira_coding_vs_intergenic", "--cache",
        temp.resolve("cache").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("(?m)^train +5448 +\\[2724, 2724\\] +200/200/200")
        .contains("dev   vs train:    640 windows,     0 exact duplicates")
        .endsWith("OK\n");
  }

  @Test
  void genomeFilesAreValidated() {
    CliRun fasta = run("data", "check",
        data().resolve("genomes/bacteria/S.Aureus_COL.fasta.gz").toString());
    assertThat(fasta.exitCode()).isZero();
    assertThat(fasta.out()).containsPattern("FASTA .*S.Aureus_COL.fasta.gz: \\d+ records");

    CliRun genbank = run("data", "check",
        data().resolve("genomes/leptospira_kirschneri_H1_annotated.gbk.gz").toString());
    assertThat(genbank.out()).contains(": 75 records, 4594734 bp,").contains("CDS=4162");
  }

  @Test
  void buildTaskWritesSplitsAndProvenance() throws Exception {
    StringBuilder genbank = new StringBuilder("LOCUS       ctg1  60000 bp    DNA\n"
        + "FEATURES             Location/Qualifiers\n");
    java.util.Random random = new java.util.Random(3);
    for (int s = 2_001; s + 4_000 < 60_000; s += 6_000) {
      genbank.append("     CDS             ").append(s).append("..").append(s + 2_999).append('\n');
    }
    genbank.append("ORIGIN\n");
    for (int i = 0; i < 60_000; i += 60) {
      genbank.append(String.format("%9d", i + 1));
      for (int j = 0; j < 60; j += 10) {
        genbank.append(' ');
        for (int k = 0; k < 10; k++) {
          genbank.append("acgt".charAt(random.nextInt(4)));
        }
      }
      genbank.append('\n');
    }
    genbank.append("//\n");
    Path genome = temp.resolve("g.gbk");
    Files.writeString(genome, genbank);
    Path out = temp.resolve("task");

    CliRun run = run("data", "build-task", "--genome", genome.toString(), "--window", "100",
        "--block", "5000", "--dev", "0.2", "--test", "0.2", "--name", "toy", "--out",
        out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(out.resolve("train.csv.gz")).exists();
    String provenance = Files.readString(out.resolve("PROVENANCE.md"));
    assertThat(provenance).contains("bin/dnalab data build-task --genome " + genome
        + " --window 100 --block 5000")
        .contains("- sha256 of the file: `" + io.dnalab.data.DataFiles.sha256OfBytes(genome));
    CliRun check = run("data", "check", out.toString());
    assertThat(check.exitCode()).as(check.err()).isZero();
  }
}
