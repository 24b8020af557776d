package io.dnalab.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocatorTest {
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  /** A hub-cache layout as {@code hf download} leaves it: refs/main and one snapshot. */
  static Path cachedModel(Path hub, String hubId, String commit) throws Exception {
    Path repo = hub.resolve("models--" + hubId.replace("/", "--"));
    Files.createDirectories(repo.resolve("refs"));
    Files.writeString(repo.resolve("refs/main"), commit);
    Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(commit));
    Files.writeString(snapshot.resolve("config.json"), "{}");
    return snapshot;
  }

  @Test
  void cacheFolderFollowsHuggingFaceHubPrecedence() {
    Path home = Path.of("/home/u");
    assertThat(HubCache.fromEnvironment(Map.of(), home).root()).isEqualTo(Path.of("/home/u/.cache/huggingface/hub"));
    assertThat(HubCache.fromEnvironment(Map.of("XDG_CACHE_HOME", "/x"), home).root()).isEqualTo(Path.of("/x/huggingface/hub"));
    assertThat(HubCache.fromEnvironment(Map.of("HF_HOME", "/h", "XDG_CACHE_HOME", "/x"), home).root())
        .isEqualTo(Path.of("/h/hub"));
    assertThat(HubCache.fromEnvironment(Map.of("HF_HUB_CACHE", "/c", "HF_HOME", "/h"), home).root())
        .isEqualTo(Path.of("/c"));
    // An empty variable counts as unset, as in huggingface_hub.
    assertThat(HubCache.fromEnvironment(Map.of("HF_HUB_CACHE", "", "HF_HOME", "/h"), home).root())
        .isEqualTo(Path.of("/h/hub"));
  }

  @Test
  void hubIdResolvesToTheSnapshotThatRefsMainNames(@TempDir Path dir) throws Exception {
    Path snapshot = cachedModel(dir.resolve("hf/hub"), "zhihan1996/DNABERT-2-117M", COMMIT);
    // An older snapshot beside it must not be picked.
    Files.createDirectories(snapshot.resolveSibling("ffffffffffffffffffffffffffffffffffffffff"));
    HubCache cache = HubCache.fromEnvironment(Map.of("HF_HOME", dir.resolve("hf").toString()), dir);
    ModelLocator.Location found = new ModelLocator(cache, dir).locate("zhihan1996/DNABERT-2-117M");
    assertThat(found.folder()).isEqualTo(snapshot);
    assertThat(found.hubId()).isEqualTo("zhihan1996/DNABERT-2-117M");
    assertThat(found.commit()).isEqualTo(COMMIT);
    assertThat(found.isLocalFolder()).isFalse();
  }

  @Test
  void revisionMayBeACommitOrAnotherRef(@TempDir Path dir) throws Exception {
    Path snapshot = cachedModel(dir, "InstaDeepAI/nt", COMMIT);
    Files.writeString(dir.resolve("models--InstaDeepAI--nt/refs/v1"), COMMIT + "\n");
    ModelLocator locator = new ModelLocator(new HubCache(dir, "test"), dir);
    assertThat(locator.locate("InstaDeepAI/nt", COMMIT).folder()).isEqualTo(snapshot);
    assertThat(locator.locate("InstaDeepAI/nt", "v1").folder()).isEqualTo(snapshot);
  }

  @Test
  void aFolderIsUsedAsItIsAbsoluteOrRelative(@TempDir Path dir) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("models/tiny"));
    ModelLocator locator = new ModelLocator(new HubCache(dir.resolve("empty"), "test"), dir);
    assertThat(locator.locate(folder.toString()).folder()).isEqualTo(folder);
    ModelLocator.Location relative = locator.locate("models/tiny");
    assertThat(relative.folder()).isEqualTo(folder);
    assertThat(relative.isLocalFolder()).isTrue();
  }

  @Test
  void missingModelListsEveryPlaceAndTheDownloadCommand(@TempDir Path dir) {
    HubCache cache = HubCache.fromEnvironment(Map.of("HF_HOME", dir.resolve("hf").toString()), dir);
    assertThatThrownBy(() -> new ModelLocator(cache, dir).locate("zhihan1996/DNA_bert_6"))
        .isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining(dir.resolve("zhihan1996/DNA_bert_6") + " (as a folder): does not exist")
        .hasMessageContaining(dir.resolve("hf/hub/models--zhihan1996--DNA_bert_6") + " (Hugging Face cache): does not exist")
        .hasMessageContaining("chosen by $HF_HOME/hub")
        .hasMessageContaining("\n  hf download zhihan1996/DNA_bert_6\n");
  }

  @Test
  void missingRefOrSnapshotIsNamed(@TempDir Path dir) throws Exception {
    Path snapshot = cachedModel(dir, "org/m", COMMIT);
    ModelLocator locator = new ModelLocator(new HubCache(dir, "test"), dir);
    assertThatThrownBy(() -> locator.locate("org/m", "v2"))
        .hasMessageContaining(dir.resolve("models--org--m/refs/v2") + " (revision v2): does not exist")
        .hasMessageContaining("hf download org/m --revision v2");
    Files.delete(snapshot.resolve("config.json"));
    Files.delete(snapshot);
    assertThatThrownBy(() -> locator.locate("org/m"))
        .hasMessageContaining(snapshot + " (snapshot of main): does not exist");
  }

  @Test
  void aNameThatIsNeitherFolderNorHubIdSaysSo(@TempDir Path dir) {
    ModelLocator locator = new ModelLocator(new HubCache(dir, "test"), dir);
    assertThatThrownBy(() -> locator.locate("no/such/folder"))
        .hasMessageContaining(dir.resolve("no/such/folder") + " (as a folder): does not exist")
        .hasMessageContaining("is not a hub id (ORG/NAME)");
    assertThatThrownBy(() -> locator.locate(" ")).hasMessageContaining("no model named");
  }
}
