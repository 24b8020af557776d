package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/dnalab setup --cuda} is a lasting choice: every later automatic rebuild keeps
 * {@code -Pcuda}, and {@code setup --cpu} goes back. Runs the real script from a copy of the
 * checkout's skeleton, with a fake {@code mvn} first on PATH that only records its arguments, so
 * no GPU, no CUDA natives and no real build are needed (a few seconds).
 */
class SetupBuildFlavorTest {

  /** Records each call's arguments; assembles the kernel's jar names as empty files. */
  private static final String FAKE_MVN = """
      #!/usr/bin/env bash
      printf '%s\\n' "$*" >> "$FAKE_MVN_LOG"
      for arg in "$@"; do
        case "$arg" in
          -DoutputDirectory=*)
            dir="${arg#-DoutputDirectory=}"
            mkdir -p "$dir"
            for jar in kotlin-jupyter-lib-0.11.0-398 kotlin-jupyter-api-0.11.0-398 \\
                kotlin-stdlib-1.8.20 kotlin-reflect-1.8.20 kotlin-script-runtime-1.8.20; do
              : > "$dir/$jar.jar"
            done ;;
        esac
      done
      """;

  @Test
  void theCudaChoiceOutlivesRebuildsUntilCpuIsChosen(@TempDir Path dir) throws Exception {
    // ensure_build also rebuilds while the DSL is missing from the local repository, which
    // `bin/dnalab setup` (run before the tests) installs.
    Path installedDsl = Path.of(System.getProperty("user.home"),
        ".m2/repository/io/dnalab/dnalab-dsl/0.1.0/dnalab-dsl-0.1.0.jar");
    assertThat(installedDsl).as("the installed DSL (run bin/dnalab setup first)").exists();
    Checkout checkout = new Checkout(dir);

    Run cuda = checkout.dnalab("setup", "--cuda");
    assertThat(cuda.exitCode()).as(cuda.stderr()).isZero();
    assertThat(checkout.installs()).containsExactly(
        "-B -q -Dstyle.color=never install -DskipTests -Pcuda");
    assertThat(Files.readString(checkout.home.resolve("build.properties")))
        .contains("pytorch.flavor=cu124");
    assertThat(cuda.stderr()).contains("PyTorch natives: cu124 for this and every later build");
    // A notebook's @file:DependsOn resolves the installed poms without -Pcuda: the installed
    // parent pom must name cu124 as its default, or the notebook gets the cpu natives.
    assertThat(checkout.parentPomInstalls()).hasSize(1);
    assertThat(checkout.mvnCalls().indexOf(checkout.parentPomInstalls().get(0)))
        .as("after the build, whose install wrote the original parent pom")
        .isGreaterThan(checkout.mvnCalls().indexOf(checkout.installs().get(0)));
    assertThat(checkout.installedParentPom(0)).isEqualTo(checkout.pomWithDefault("cu124"));

    Run unchanged = checkout.dnalab("setup");
    assertThat(unchanged.exitCode()).as(unchanged.stderr()).isZero();
    assertThat(checkout.installs()).as("nothing changed: no rebuild").hasSize(1);

    // A source edited after the last build: the automatic rebuild keeps the CUDA natives.
    checkout.editSourceAfterLastBuild();
    Run rebuilt = checkout.dnalab("setup");
    assertThat(rebuilt.exitCode()).as(rebuilt.stderr()).isZero();
    assertThat(checkout.installs()).hasSize(2).last().asString().endsWith(" -Pcuda");
    assertThat(checkout.parentPomInstalls()).as("every cuda build reinstalls it").hasSize(2);
    assertThat(checkout.installedParentPom(1)).isEqualTo(checkout.pomWithDefault("cu124"));

    // The test suite builds with it too: a verify without the profile would rewrite the command
    // line's classpath (runtime-java/target/cli.classpath) with the cpu natives.
    Run suite = checkout.dnalab("test");
    assertThat(suite.exitCode()).as(suite.stderr()).isZero();
    assertThat(checkout.mvnCalls()).last().isEqualTo("-B verify -Pcuda");

    // Back to the CPU: rebuilds at once (no source changed), without the profile.
    Run cpu = checkout.dnalab("setup", "--cpu");
    assertThat(cpu.exitCode()).as(cpu.stderr()).isZero();
    assertThat(checkout.installs()).hasSize(3).last()
        .isEqualTo("-B -q -Dstyle.color=never install -DskipTests");
    // The cpu build installs the original parent pom (default cpu) and nothing replaces it.
    assertThat(checkout.parentPomInstalls()).hasSize(2);
    assertThat(Files.readString(checkout.home.resolve("build.properties")))
        .contains("pytorch.flavor=cpu");
    checkout.editSourceAfterLastBuild();
    assertThat(checkout.dnalab("setup").exitCode()).isZero();
    assertThat(checkout.installs()).hasSize(4).last().asString().doesNotContain("-Pcuda");
    assertThat(checkout.dnalab("test").exitCode()).isZero();
    assertThat(checkout.mvnCalls()).last().isEqualTo("-B verify");
  }

  @Test
  void aParentPomWithoutTheCpuDefaultIsNamedRatherThanInstalledUnchanged(@TempDir Path dir)
      throws Exception {
    Checkout checkout = new Checkout(dir);
    Path pom = checkout.root.resolve("pom.xml");
    Files.writeString(pom, Files.readString(pom).replace(
        "<dnalab.pytorch.flavor>cpu</dnalab.pytorch.flavor>", ""));
    Run run = checkout.dnalab("setup", "--cuda");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).contains(pom + ": no <dnalab.pytorch.flavor>cpu"
        + "</dnalab.pytorch.flavor> default to turn into cu124");
    assertThat(checkout.parentPomInstalls()).isEmpty();
  }

  @Test
  void anUnknownSetupOptionIsNamed(@TempDir Path dir) throws Exception {
    Checkout checkout = new Checkout(dir);
    Run run = checkout.dnalab("setup", "--gpu");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr().strip())
        .isEqualTo("dnalab setup: unknown option '--gpu' (setup takes --cuda or --cpu)");
    assertThat(checkout.installs()).isEmpty();
    assertThat(checkout.home.resolve("build.properties")).doesNotExist();
  }

  @Test
  void aHandEditedFlavorIsRefusedWithTheFileAndValue(@TempDir Path dir) throws Exception {
    Checkout checkout = new Checkout(dir);
    Files.createDirectories(checkout.home);
    Files.writeString(checkout.home.resolve("build.properties"), "pytorch.flavor=cu118\n");
    Run run = checkout.dnalab("setup");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).contains(checkout.home.resolve("build.properties")
        + ": pytorch.flavor=cu118 is not cpu or cu124");
    assertThat(checkout.installs()).isEmpty();
  }

  record Run(int exitCode, String stderr) {}

  /** bin/dnalab, the two POMs and one source file, in a folder of their own. */
  private static final class Checkout {
    final Path root;
    final Path home;
    final Path fakeBin;
    final Path mvnLog;
    final Path source;

    Checkout(Path dir) throws IOException {
      root = dir.resolve("checkout");
      home = dir.resolve("dnalab-home");
      fakeBin = dir.resolve("fake-bin");
      mvnLog = dir.resolve("mvn.log");
      Path real = Dnalab.home();
      Files.createDirectories(root.resolve("bin"));
      Files.createDirectories(root.resolve("kernel"));
      Files.copy(real.resolve("bin/dnalab"), root.resolve("bin/dnalab"));
      Files.copy(real.resolve("pom.xml"), root.resolve("pom.xml"));
      Files.copy(real.resolve("kernel/pom.xml"), root.resolve("kernel/pom.xml"));
      source = root.resolve("runtime-java/src/main/java/Example.java");
      Files.createDirectories(source.getParent());
      Files.writeString(source, "class Example {}\n");
      Files.createDirectories(fakeBin);
      Path mvn = fakeBin.resolve("mvn");
      Files.writeString(mvn, FAKE_MVN.stripIndent(), StandardCharsets.UTF_8);
      assertThat(mvn.toFile().setExecutable(true)).isTrue();
      Path chromium = fakeBin.resolve("chromium");
      Files.writeString(chromium, "#!/bin/sh\necho 'not a browser' >&2\nexit 1\n");
      assertThat(chromium.toFile().setExecutable(true)).isTrue();
      Files.writeString(mvnLog, "");
      // Older than any build stamp: a file written in the same second as a build started would
      // count as changed (the stamp keeps whole seconds).
      FileTime anHourAgo = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
      for (Path file : List.of(root.resolve("pom.xml"), root.resolve("kernel/pom.xml"), source)) {
        Files.setLastModifiedTime(file, anHourAgo);
      }
    }

    Run dnalab(String... args) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>();
      command.add(root.resolve("bin/dnalab").toString());
      command.addAll(List.of(args));
      Path err = root.getParent().resolve("stderr.txt");
      ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
      Map<String, String> env = builder.environment();
      env.put("PATH", fakeBin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
      env.put("FAKE_MVN_LOG", mvnLog.toString());
      env.put("DNALAB_HOME", home.toString());
      env.put("JUPYTER_DATA_DIR", root.getParent().resolve("jupyter").toString());
      // `bin/dnalab test` wants a browser for the browser test; this one is never started.
      env.put("DNALAB_CHROMIUM", fakeBin.resolve("chromium").toString());
      Process process = builder.start();
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("bin/dnalab finished").isTrue();
      return new Run(process.exitValue(), Files.readString(err));
    }

    /** Every call of the fake mvn, one line of arguments each. */
    List<String> mvnCalls() throws IOException {
      return Files.readAllLines(mvnLog);
    }

    /** The fake mvn's `install` calls. */
    List<String> installs() throws IOException {
      return mvnCalls().stream().filter(l -> l.contains(" install ")).toList();
    }

    /** The fake mvn's {@code install:install-file} calls (the parent pom for notebooks). */
    List<String> parentPomInstalls() throws IOException {
      return mvnCalls().stream().filter(l -> l.contains(" install:install-file ")).toList();
    }

    /** The pom file the {@code i}-th install-file call installed (its {@code -DpomFile}). */
    String installedParentPom(int i) throws IOException {
      String call = parentPomInstalls().get(i);
      assertThat(call).contains(" -N ");
      String file = call.replaceAll(".* -DpomFile=(\\S+).*", "$1");
      assertThat(call).contains("-Dfile=" + file);
      return Files.readString(Path.of(file));
    }

    /** The checkout's pom.xml with {@code flavor} as the default PyTorch natives. */
    String pomWithDefault(String flavor) throws IOException {
      String pom = Files.readString(root.resolve("pom.xml"));
      String cpuDefault = "<dnalab.pytorch.flavor>cpu</dnalab.pytorch.flavor>";
      // Exactly one default: the profile's cu124 line is the other occurrence of the property.
      assertThat(pom.split(java.util.regex.Pattern.quote(cpuDefault), -1)).hasSize(2);
      return pom.replace(cpuDefault, "<dnalab.pytorch.flavor>" + flavor
          + "</dnalab.pytorch.flavor>");
    }

    /** A source whose time is one second after the last build's stamp: the next setup rebuilds. */
    void editSourceAfterLastBuild() throws IOException {
      FileTime stamp = Files.getLastModifiedTime(root.resolve("target/.dnalab-installed"));
      Files.setLastModifiedTime(source,
          FileTime.fromMillis(stamp.toMillis() + TimeUnit.SECONDS.toMillis(1)));
    }
  }
}
