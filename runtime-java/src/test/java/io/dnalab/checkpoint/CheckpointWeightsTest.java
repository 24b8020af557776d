package io.dnalab.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers against files written by torch.save and safetensors (resources/checkpoints/generate_checkpoints.py). */
class CheckpointWeightsTest {
  private static final Map<String, DType> TORCH_DTYPES = Map.of(
      "float32", DType.F32, "float16", DType.F16, "bfloat16", DType.BF16, "float64", DType.F64,
      "int64", DType.I64, "bool", DType.BOOL);

  static Path resource(String name) {
    try {
      var url = CheckpointWeightsTest.class.getResource("/checkpoints/" + name);
      if (url == null) {
        throw new IllegalStateException("missing test resource checkpoints/" + name);
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode expected(String fixture) throws IOException {
    return new ObjectMapper().readTree(resource("expected.json").toFile()).get(fixture);
  }

  /** Every tensor's dtype, shape and exact values equal what the generator saved. */
  private static void assertMatchesExpected(StateDict weights, JsonNode expected, boolean sameOrder) {
    List<String> names = new ArrayList<>();
    expected.fieldNames().forEachRemaining(names::add);
    if (sameOrder) {
      assertThat(weights.names()).containsExactlyElementsOf(names);
    } else {
      assertThat(weights.names()).containsExactlyInAnyOrderElementsOf(names);
    }
    for (String name : names) {
      JsonNode e = expected.get(name);
      CheckpointTensor t = weights.tensor(name);
      assertThat(t.dtype()).as(name).isEqualTo(TORCH_DTYPES.get(e.get("dtype").asText()));
      List<Long> shape = new ArrayList<>();
      e.get("shape").forEach(d -> shape.add(d.asLong()));
      assertThat(t.shape()).as(name).containsExactly(shape.stream().mapToLong(Long::longValue).toArray());
      if (e.has("float32_bits")) {
        float[] values = t.toFloatArray();
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
          bits[i] = Float.floatToRawIntBits(values[i]);
        }
        int[] want = new int[e.get("float32_bits").size()];
        for (int i = 0; i < want.length; i++) {
          want[i] = (int) e.get("float32_bits").get(i).asLong();
        }
        assertThat(bits).as(name).containsExactly(want);
      } else {
        long[] want = new long[e.get("values").size()];
        for (int i = 0; i < want.length; i++) {
          want[i] = e.get("values").get(i).asLong();
        }
        assertThat(t.toLongArray()).as(name).containsExactly(want);
      }
    }
  }

  @Test
  void safetensorsOfEveryDtypeReadExactly() throws IOException {
    Path file = resource("tiny.safetensors");
    StateDict weights = CheckpointWeights.loadFile(file);
    assertMatchesExpected(weights, expected("tiny.safetensors"), false);
    assertThat(weights.tensor("embeddings.weight").file()).isEqualTo(file);
    // Spelled out once, beside the bit patterns: float16 specials widen exactly.
    assertThat(weights.tensor("layer.bias").toFloatArray())
        .containsExactly(0.33325195f, -2.5f, 0x1p-24f, 65504f, -0.0f, Float.POSITIVE_INFINITY, Float.NaN, 0.0010004044f);
  }

  @Test
  void shardedSafetensorsReadThroughTheIndex() throws IOException {
    StateDict weights = CheckpointWeights.load(resource("sharded"));
    assertMatchesExpected(weights, expected("sharded"), false);
    assertThat(weights.tensor("encoder.layer.1.weight").file().getFileName())
        .hasToString("model-00002-of-00002.safetensors");
  }

  @Test
  void torchSaveStateDictReadsExactlyInOrder() throws IOException {
    // A module's state_dict (with _metadata, hence BUILD), a transposed view, a slice at a storage
    // offset sharing its storage, an int64 buffer, a Parameter; float32, float16 and bfloat16.
    StateDict weights = CheckpointWeights.load(resource("torch"));
    assertMatchesExpected(weights, expected("torch/pytorch_model.bin"), true);
  }

  @Test
  void legacyTorchFormatReadsExactlyInOrder() throws IOException {
    // The same state dict saved with _use_new_zipfile_serialization=False: pickles, then raw storages.
    StateDict weights = CheckpointWeights.load(resource("legacy"));
    assertMatchesExpected(weights, expected("legacy/pytorch_model.bin"), true);
    Path cut = resource("bad/truncated_legacy.bin");
    assertThatThrownBy(() -> CheckpointWeights.loadFile(cut))
        .hasMessageStartingWith(cut + ": truncated: storage ")
        .hasMessageContaining(" bytes at byte ");
  }

  @Test
  void shardedTorchCheckpointsReadThroughTheIndex() throws IOException {
    assertMatchesExpected(CheckpointWeights.load(resource("sharded_bin")), expected("sharded_bin"), false);
  }

  @Test
  void aPickleThatWouldRunAShellCommandIsRefusedAndNothingRuns() throws IOException {
    Path marker = Path.of("/tmp/dnalab-pickle-payload-ran");
    Files.deleteIfExists(marker);
    Path file = resource("malicious/os_system.bin");
    assertThatThrownBy(() -> CheckpointWeights.loadFile(file))
        .isInstanceOf(CheckpointFileException.class)
        .hasMessageStartingWith("refusing pickle global os.system in " + file + "/archive/data.pkl: ");
    Path nested = resource("malicious/nested_eval.bin");
    assertThatThrownBy(() -> CheckpointWeights.loadFile(nested))
        .hasMessageStartingWith("refusing pickle global builtins.eval in " + nested + "/archive/data.pkl: ");
    assertThat(marker).doesNotExist();
  }

  @Test
  void damagedFilesNameTheFileAndTheTensor() {
    Path cut = resource("bad/truncated_data.safetensors");
    assertThatThrownBy(() -> CheckpointWeights.loadFile(cut))
        .hasMessageStartingWith(cut + ": truncated: tensor ")
        .hasMessageContaining(" needs data bytes ");
    Path header = resource("bad/truncated_header.safetensors");
    assertThatThrownBy(() -> CheckpointWeights.loadFile(header))
        .hasMessageStartingWith(header + ": header length ")
        .hasMessageContaining("does not fit the file's 40 bytes");
    Path mismatch = resource("bad/dtype_mismatch.safetensors");
    assertThatThrownBy(() -> CheckpointWeights.loadFile(mismatch))
        .hasMessage(mismatch + ": tensor weight: F16 shape [2,2] needs 8 bytes but data_offsets [0,16] give 16:"
            + " wrong dtype or shape in the header");
    Path f8 = resource("bad/unsupported_dtype.safetensors");
    assertThatThrownBy(() -> CheckpointWeights.loadFile(f8))
        .hasMessageStartingWith(f8 + ": tensor weight: dtype F8_E4M3 is not supported");
    Path zip = resource("bad/truncated.bin");
    assertThatThrownBy(() -> CheckpointWeights.loadFile(zip))
        .hasMessageStartingWith(zip + ": not a torch zip archive");
    Path text = resource("configs/dnabert2/config.json");
    assertThatThrownBy(() -> TorchCheckpoint.read(text))
        .hasMessageStartingWith(text + ": not a torch zip archive");
    Path shortStorage = resource("bad/short_storage.bin");
    assertThatThrownBy(() -> CheckpointWeights.loadFile(shortStorage))
        .hasMessageStartingWith(shortStorage + ": tensor position_ids: storage pytorch_model/data/0 holds 52 bytes,"
            + " its 7 I64 elements need 56: truncated or wrong dtype");
  }

  @Test
  void missingExtraAndWronglyShapedTensorsAreAllNamed() {
    Path file = resource("tiny.safetensors");
    StateDict weights = CheckpointWeights.loadFile(file);
    Map<String, long[]> layout = new LinkedHashMap<>();
    layout.put("embeddings.weight", new long[] {3, 4});
    layout.put("layer.bias", new long[] {8});
    layout.put("layer.scale", new long[] {3, 2});
    layout.put("layer.double", new long[] {2});
    layout.put("pooler.dense.weight", new long[] {4, 4});
    assertThatThrownBy(() -> weights.requireExactly(layout, Set.of("position_ids")))
        .hasMessage(file + ": does not match the expected layout (3 problems):\n"
            + "  tensor layer.scale has shape [2, 3], expected [3, 2]\n"
            + "  missing tensor pooler.dense.weight [4, 4]\n"
            + "  unexpected tensor mask [4]");
    layout.put("layer.scale", new long[] {2, 3});
    layout.remove("pooler.dense.weight");
    layout.put("mask", new long[] {4});
    assertThatThrownBy(() -> weights.requireExactly(layout, Set.of("position_ids")))
        .hasMessageContaining("tensor mask is BOOL, expected a floating type");
    layout.remove("mask");
    weights.requireExactly(layout, Set.of("position_ids", "mask"));
    assertThatThrownBy(() -> weights.tensor("nope")).hasMessage(file + ": no tensor nope");
    assertThatThrownBy(() -> weights.tensor("mask").floatValues()).hasMessage(file + ": tensor mask is BOOL, not a floating type");
  }

  /** A writable copy of the fixture {@code folder} at {@code to}, for tests that damage it. */
  static Path copyOf(Path folder, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  @Test
  void anIndexThatDisagreesWithItsShardsIsNamed(@TempDir Path dir) throws IOException {
    Path folder = copyOf(resource("sharded"), dir.resolve("m"));
    Path index = folder.resolve("model.safetensors.index.json");
    String json = Files.readString(index);
    // Place layer 1 in the first shard, where it is not.
    Files.writeString(index, json.replace("\"encoder.layer.1.weight\": \"model-00002-of-00002.safetensors\"",
        "\"encoder.layer.1.weight\": \"model-00001-of-00002.safetensors\""));
    assertThatThrownBy(() -> CheckpointWeights.load(folder))
        .hasMessage(folder.resolve("model-00001-of-00002.safetensors")
            + ": does not hold tensor encoder.layer.1.weight, which model.safetensors.index.json places there");
    Files.writeString(index, json);
    Files.delete(folder.resolve("model-00002-of-00002.safetensors"));
    assertThatThrownBy(() -> CheckpointWeights.load(folder))
        .hasMessage(index + ": shard model-00002-of-00002.safetensors (holding encoder.layer.1.weight and 0 more) is missing");
  }

  @Test
  void aFolderWithoutWeightsListsWhatWasLookedForAndWhatIsThere(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("config.json"), "{}");
    assertThatThrownBy(() -> CheckpointWeights.load(dir))
        .hasMessage(dir + ": no weights: looked for model.safetensors, model.safetensors.index.json,"
            + " pytorch_model.bin, pytorch_model.bin.index.json; the folder holds config.json");
  }

  @Test
  void truncatedOrFlippedFilesFailOnlyWithCheckpointErrors(@TempDir Path dir) throws IOException {
    Path original = resource("torch/pytorch_model.bin");
    byte[] pickle;
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(original.toFile())) {
      pickle = zip.getInputStream(zip.getEntry("pytorch_model/data.pkl")).readAllBytes();
    }
    for (int length = 0; length < pickle.length; length++) {
      byte[] prefix = java.util.Arrays.copyOf(pickle, length);
      assertThatThrownBy(() -> new RestrictedUnpickler(prefix, "p", id -> id, args -> args).load())
          .as("pickle cut at %d", length).isInstanceOf(CheckpointFileException.class);
    }
    // Flip bytes inside the pickle, in place in the zip (stored, not compressed): the result is read
    // or refused with a CheckpointFileException, never another exception.
    byte[] file = Files.readAllBytes(original);
    int pickleAt = indexOf(file, pickle);
    assertFlipsReadOrFailCleanly(original, pickleAt, pickle.length, dir.resolve("pytorch_model.bin"));
    Path legacy = resource("legacy/pytorch_model.bin");
    assertFlipsReadOrFailCleanly(legacy, 0, (int) Files.size(legacy), dir.resolve("legacy.bin"));
    Path safetensors = resource("tiny.safetensors");
    assertFlipsReadOrFailCleanly(safetensors, 0, (int) Files.size(safetensors), dir.resolve("tiny.safetensors"));
  }

  /** 300 seeded single-byte changes in bytes [from, from + length): each file reads, or fails with a CheckpointFileException. */
  private static void assertFlipsReadOrFailCleanly(Path original, int from, int length, Path mutated) throws IOException {
    byte[] file = Files.readAllBytes(original);
    java.util.Random random = new java.util.Random(13);
    int refused = 0;
    for (int trial = 0; trial < 300; trial++) {
      byte[] copy = file.clone();
      copy[from + random.nextInt(length)] = (byte) random.nextInt(256);
      Files.write(mutated, copy);
      try {
        CheckpointWeights.loadFile(mutated);
      } catch (CheckpointFileException expected) {
        refused++;
      }
    }
    assertThat(refused).as(original.toString()).isGreaterThan(0);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void theUnpicklerRefusesOpcodesAStateDictDoesNotNeed() {
    // INST (module, name, then arguments to a class constructor): old protocol 0 object creation.
    byte[] inst = "(ios\nsystem\n.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> new RestrictedUnpickler(inst, "x.pkl", id -> id, args -> args).load())
        .hasMessage("x.pkl: pickle opcode 'i' (0x69) at byte 1 is not allowed: a state dict of tensors does not need it");
    byte[] truncated = {(byte) 0x80, 2, '}', 'X', 9, 0, 0, 0, 'a'};
    assertThatThrownBy(() -> new RestrictedUnpickler(truncated, "y.pkl", id -> id, args -> args).load())
        .hasMessageStartingWith("y.pkl: truncated: 9 bytes wanted at byte 8");
  }
}
