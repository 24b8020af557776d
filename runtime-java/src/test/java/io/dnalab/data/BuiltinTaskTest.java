package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.TaskSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart's task loads from the classpath alone, with no DNALAB_DATA and no download. */
class BuiltinTaskTest {
  static final String NAME = "leptospira_coding_vs_intergenic";
  @TempDir Path temp;

  @Test
  void loadsFromTheClasspathWithoutAnyDataFolder() {
    DatasetCatalog catalog = DatasetCatalog.builder().cacheDir(temp.resolve("cache")).build();

    SequenceTask task = catalog.load(new TaskSpec.Builtin(NAME),
        LoadOptions.defaults().withOffline(true));

    assertThat(task.name()).isEqualTo(NAME);
    assertThat(task.numClasses()).isEqualTo(2);
    assertThat(task.train()).hasSize(5_448);
    assertThat(task.dev()).hasSize(640);
    assertThat(task.test()).hasSize(760);
    assertThat(task.train()).allSatisfy(r -> assertThat(r.sequence()).hasSize(200));
    assertThat(task.train().stream().filter(r -> r.label() == 1).count()).isEqualTo(2_724);
    assertThat(LeakageCheck.check(task).clean()).isTrue();
  }

  @Test
  void loadsFromTheInstallationFolderWhenDnalabHomeIsSet() {
    // Tests run in runtime-java/; the repository's datasets/ folder is ../datasets.
    Path datasets = Path.of("..", "datasets").toAbsolutePath().normalize();
    DatasetCatalog catalog = DatasetCatalog.builder().cacheDir(temp.resolve("cache"))
        .homeDatasets(datasets).build();

    SequenceTask task = catalog.load(new TaskSpec.Builtin(NAME));

    assertThat(task.test()).hasSize(760);
    assertThat(temp.resolve("cache/builtin")).doesNotExist();
  }

  @Test
  void unknownBuiltinTaskNamesTheKnownOnes() {
    DatasetCatalog catalog = DatasetCatalog.builder().cacheDir(temp.resolve("cache")).build();
    assertThatThrownBy(() -> catalog.load(new TaskSpec.Builtin("nope")))
        .hasMessage("builtin/nope: unknown builtin task 'nope'; the catalog has: [" + NAME + "]");
  }
}
