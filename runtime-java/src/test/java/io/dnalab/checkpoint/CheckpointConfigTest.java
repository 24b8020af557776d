package io.dnalab.checkpoint;

import static io.dnalab.checkpoint.CheckpointWeightsTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json of each family, as transformers (or DNABERT-2's published file) writes it. */
class CheckpointConfigTest {

  @Test
  void dnabert2ReadsAsMosaicBert() {
    CheckpointConfig config = CheckpointConfig.read(resource("configs/dnabert2/config.json"));
    assertThat(config).isEqualTo(new CheckpointConfig.MosaicBert(4096, 24, 2, 4, 48, 1e-12, 512, 2, "gelu", 0.1, 0.0));
    assertThat(config.family()).isEqualTo(CheckpointConfig.Family.DNABERT2_MOSAIC_BERT);
  }

  @Test
  void dnabertReadsAsStandardBert() {
    CheckpointConfig config = CheckpointConfig.read(resource("configs/dnabert6/config.json"));
    assertThat(config).isEqualTo(
        new CheckpointConfig.Bert(4101, 24, 2, 4, 48, 1e-12, 512, 2, "gelu", 0, "absolute", 0.1, 0.1));
  }

  @Test
  void nucleotideTransformerV1ReadsAsEsm() {
    CheckpointConfig config = CheckpointConfig.read(resource("configs/nt_v1/config.json"));
    assertThat(config).isEqualTo(new CheckpointConfig.Esm(
        4107, 32, 2, 4, 64, 1e-12, 1002, "absolute", 1, 2, false, false, true, 0.0, 0.0));
  }

  private static Path withoutField(Path dir, String fixture, String field) throws Exception {
    String json = Files.readString(resource(fixture));
    // Each fixture writes one field per line: drop the line that holds it.
    String removed = json.replaceAll("(?m)^\\s*\"" + field + "\": [^\\n]*\\n", "");
    assertThat(removed).isNotEqualTo(json);
    Path file = dir.resolve(field + ".json");
    Files.writeString(file, removed.replace(",\n}", "\n}"));
    return file;
  }

  @Test
  void aMissingShapeFieldIsNamedWithTheLayout(@TempDir Path dir) throws Exception {
    Path noHidden = withoutField(dir, "configs/dnabert2/config.json", "hidden_size");
    assertThatThrownBy(() -> CheckpointConfig.read(noHidden))
        .isInstanceOf(CheckpointFileException.class)
        .hasMessage(noHidden + ": missing field \"hidden_size\" (DNABERT-2 MosaicBERT layout)");
    Path noPositions = withoutField(dir, "configs/nt_v1/config.json", "max_position_embeddings");
    assertThatThrownBy(() -> CheckpointConfig.read(noPositions))
        .hasMessage(noPositions + ": missing field \"max_position_embeddings\" (EsmForMaskedLM layout)");
    Path noTypes = withoutField(dir, "configs/dnabert6/config.json", "type_vocab_size");
    assertThatThrownBy(() -> CheckpointConfig.read(noTypes))
        .hasMessage(noTypes + ": missing field \"type_vocab_size\" (BertForMaskedLM layout)");
  }

  @Test
  void aDropoutRateMissingTakesTheConfigClassDefault(@TempDir Path dir) throws Exception {
    Path file = withoutField(dir, "configs/dnabert2/config.json", "attention_probs_dropout_prob");
    assertThat(((CheckpointConfig.MosaicBert) CheckpointConfig.read(file)).attentionDropout()).isEqualTo(0.0);
  }

  @Test
  void unsupportedValuesAreNamed(@TempDir Path dir) throws Exception {
    Path gpt = dir.resolve("gpt.json");
    Files.writeString(gpt, "{\"model_type\": \"gpt2\"}");
    assertThatThrownBy(() -> CheckpointConfig.read(gpt))
        .hasMessage(gpt + ": model_type = \"gpt2\": dnalab reads \"bert\" (DNABERT, DNABERT-2) and \"esm\" (Nucleotide Transformer)");
    Path relu = dir.resolve("relu.json");
    Files.writeString(relu, Files.readString(resource("configs/dnabert6/config.json")).replace("\"gelu\"", "\"relu\""));
    assertThatThrownBy(() -> CheckpointConfig.read(relu)).hasMessageStartingWith(relu + ": hidden_act = \"relu\" (BertForMaskedLM layout)");
    Path text = dir.resolve("text.json");
    Files.writeString(text, Files.readString(resource("configs/nt_v1/config.json")).replace("\"hidden_size\": 32", "\"hidden_size\": \"32\""));
    assertThatThrownBy(() -> CheckpointConfig.read(text))
        .hasMessage(text + ": hidden_size = \"32\" (EsmForMaskedLM layout): expected an integer");
    Path heads = dir.resolve("heads.json");
    Files.writeString(heads, Files.readString(resource("configs/nt_v1/config.json")).replace("\"hidden_size\": 32", "\"hidden_size\": 30"));
    assertThatThrownBy(() -> CheckpointConfig.read(heads))
        .hasMessage(heads + ": hidden_size = 30 is not a multiple of num_attention_heads = 4");
    assertThatThrownBy(() -> CheckpointConfig.read(dir.resolve("config.json")))
        .hasMessageStartingWith(dir.resolve("config.json") + ": no such file");
  }
}
