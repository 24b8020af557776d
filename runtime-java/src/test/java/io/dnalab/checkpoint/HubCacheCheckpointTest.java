package io.dnalab.checkpoint;

import static io.dnalab.checkpoint.CheckpointWeightsTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.tokenize.NucleotideTransformerTokenizer;
import io.dnalab.tokenize.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model named by hub id, found in a hub cache laid out as huggingface_hub leaves it, then read. */
class HubCacheCheckpointTest {
  static final String COMMIT = "1d0a2a0b5e5bd4ebd0e5bc3d0f6a5f1c7a8b9c0d";

  /** huggingface_hub stores each file once under blobs/ (named by its hash) and links it from the snapshot. */
  private static void linkBlob(Path repo, Path snapshot, String name, Path content, String blobName) throws Exception {
    Path blob = repo.resolve("blobs").resolve(blobName);
    Files.createDirectories(blob.getParent());
    Files.copy(content, blob);
    Files.createSymbolicLink(snapshot.resolve(name), snapshot.relativize(blob));
  }

  @Test
  void aHubIdUnderHfHomeResolvesAndItsFilesReadThroughTheBlobLinks(@TempDir Path dir) throws Exception {
    Path repo = dir.resolve("hf/hub/models--InstaDeepAI--nucleotide-transformer-500m-human-ref");
    Files.createDirectories(repo.resolve("refs"));
    Files.writeString(repo.resolve("refs/main"), COMMIT);
    Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
    Path nt = resource("configs/nt_v1");
    int blob = 0;
    for (String name : new String[] {"config.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"}) {
      linkBlob(repo, snapshot, name, nt.resolve(name), "blob" + blob++);
    }
    linkBlob(repo, snapshot, "model.safetensors", resource("tiny.safetensors"), "blob" + blob);

    HubCache cache = HubCache.fromEnvironment(Map.of("HF_HOME", dir.resolve("hf").toString()), dir);
    ModelLocator.Location where = new ModelLocator(cache, dir).locate("InstaDeepAI/nucleotide-transformer-500m-human-ref");
    assertThat(where.folder()).isEqualTo(snapshot);
    assertThat(Files.isSymbolicLink(where.folder().resolve("model.safetensors"))).isTrue();

    assertThat(CheckpointConfig.read(where.folder().resolve("config.json")).family())
        .isEqualTo(CheckpointConfig.Family.NUCLEOTIDE_TRANSFORMER_ESM);
    Tokenizer tokenizer = NucleotideTransformerTokenizer.load(where.folder());
    assertThat(tokenizer.encode("ACGTAC").ids()).containsExactly(3, 728);
    StateDict weights = CheckpointWeights.load(where.folder());
    // The same bytes read through the hub's blob symlink and directly: no arithmetic, so exact.
    assertThat(weights.tensor("embeddings.weight").toFloatArray())
        .containsExactly(CheckpointWeights.loadFile(resource("tiny.safetensors")).tensor("embeddings.weight").toFloatArray());
  }
}
