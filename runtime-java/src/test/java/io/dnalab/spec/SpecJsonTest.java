package io.dnalab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecJsonTest {

  static ExperimentSpec everyType() {
    return new ExperimentSpec("all-types",
        List.of(new TaskSpec.Gue("tf_0"), new TaskSpec.Builtin("quickstart"),
            new TaskSpec.Local(Path.of("/tmp/my-task"))),
        List.of(new TokenizerSpec.Nucleotide(), new TokenizerSpec.Kmer(6, true),
            new TokenizerSpec.Bpe(4096, List.of("human.fa")),
            new TokenizerSpec.FromFile(Path.of("/tmp/tokenizer.json"))),
        List.of(ModelSpec.ConvNova.genomicBenchmarks(), new ModelSpec.CnnBaseline(),
            new ModelSpec.UNet(3, 32), new ModelSpec.Bert(4, 256, 4, 1024)),
        List.of(new PretrainSpec.None()), new FinetuneSpec(3, 1e-3, 64, 0.1), 3,
        // cnn-baseline reads single nucleotides only
        List.of(new ExclusionRule(List.of(), List.of(new TokenizerSpec.Kmer(6, true),
            new TokenizerSpec.Bpe(4096, List.of("human.fa")),
            new TokenizerSpec.FromFile(Path.of("/tmp/tokenizer.json"))),
            List.of(new ModelSpec.CnnBaseline()), List.of())));
  }

  @Test
  void roundTripsEveryType() {
    ExperimentSpec spec = everyType();
    String json = SpecJson.write(spec);
    assertThat(json).contains("\"type\" : \"convnova\"").contains("\"type\" : \"gue\"")
        .contains("\"type\" : \"none\"");
    assertThat(SpecJson.read(json, "test")).isEqualTo(spec);
  }

  @Test
  void readsTheDocumentedExample() {
    String json = """
        {"name": "scratch", "seeds": 3,
         "tasks": [{"type": "gue", "name": "prom_core_all"}],
         "tokenizers": [{"type": "nucleotide"}],
         "models": [{"type": "convnova", "width": 64, "kernelSize": 5, "blocks": 5,
                     "dilationBase": 4, "headFactor": 4, "feedForward": false},
                    {"type": "cnn"}],
         "pretraining": [{"type": "none"}],
         "finetune": {"epochs": 3, "learningRate": 0.001, "batchSize": 64, "weightDecay": 0.1}}
        """;
    ExperimentSpec spec = SpecJson.read(json, "example");
    assertThat(spec.models()).containsExactly(ModelSpec.ConvNova.genomicBenchmarks(),
        new ModelSpec.CnnBaseline());
    assertThat(spec.runCount()).isEqualTo(6);
    assertThat(spec.finetune().freezeEncoder()).as("optional, default false").isFalse();
  }

  @Test
  void bertOptionsAndFreezeEncoderRoundTrip() {
    ExperimentSpec spec = new ExperimentSpec("probe", List.of(new TaskSpec.Gue("tf_0")),
        List.of(new TokenizerSpec.Kmer(6, false)),
        List.of(new ModelSpec.Bert(2, 64, 4, 128, 0.0, true, ModelSpec.Pooling.MEAN, false),
            ModelSpec.Bert.dnabert2()),
        List.of(new PretrainSpec.None()), new FinetuneSpec(2, 1e-3, 32, 0.0, true), 1);
    String json = SpecJson.write(spec);
    assertThat(json).contains("\"freezeEncoder\" : true").contains("\"pooling\" : \"MEAN\"");
    assertThat(SpecJson.read(json, "test")).isEqualTo(spec);
    assertThatThrownBy(() -> SpecJson.read(json.replace("\"dropout\" : 0.0", "\"dropout\" : 1.5"),
        "probe.json")).hasMessageContaining("probe.json:")
        .hasMessageEndingWith("model.dropout: must be in [0, 1), got 1.5");
  }

  @Test
  void bertAttentionDropoutRoundTripsAndSpecsWrittenBeforeItReadWithDnabert2sZero() {
    ExperimentSpec spec = new ExperimentSpec("attention", List.of(new TaskSpec.Gue("tf_0")),
        List.of(new TokenizerSpec.Kmer(6, false)),
        List.of(new ModelSpec.Bert(2, 64, 4, 128).withAttentionDropout(0.25)),
        List.of(new PretrainSpec.None()), new FinetuneSpec(2, 1e-3, 32, 0.0, true), 1);
    String json = SpecJson.write(spec);
    assertThat(json).contains("\"attentionDropout\" : 0.25");
    assertThat(SpecJson.read(json, "test")).isEqualTo(spec);
    // The same file as written before the field existed: the default, DNABERT-2's 0.0.
    String older = json.replaceAll("\"attentionDropout\" : 0\\.25,\\s*", "");
    assertThat(older).doesNotContain("attentionDropout");
    ModelSpec.Bert read = (ModelSpec.Bert) SpecJson.read(older, "old.json").models().get(0);
    assertThat(read).isEqualTo(new ModelSpec.Bert(2, 64, 4, 128));
    assertThat(read.attentionDropout()).isEqualTo(0.0);
    assertThatThrownBy(() -> SpecJson.read(json.replace("0.25", "1.0"), "attention.json"))
        .hasMessageContaining("attention.json:")
        .hasMessageEndingWith("model.attentionDropout: must be in [0, 1), got 1.0");
  }

  @Test
  void saveModelRoundTripsAndIsWrittenOnlyWhenAsked() {
    ExperimentSpec keeping = new ExperimentSpec("keep", List.of(new TaskSpec.Gue("tf_0")),
        List.of(new TokenizerSpec.Nucleotide()), List.of(new ModelSpec.CnnBaseline()),
        List.of(new PretrainSpec.None()), new FinetuneSpec(2, 1e-3, 32, 0.1)
            .withSaveModel(true), 1);
    String json = SpecJson.write(keeping);
    assertThat(json).contains("\"saveModel\" : true");
    assertThat(SpecJson.read(json, "test")).isEqualTo(keeping);
    assertThat(SpecJson.read(json, "test").finetune().saveModel()).isTrue();
    // not asked: not written, so specs and the run keys hashed from them stay as they were
    ExperimentSpec plain = new ExperimentSpec("keep", keeping.tasks(), keeping.tokenizers(),
        keeping.models(), keeping.pretraining(), keeping.finetune().withSaveModel(false), 1);
    assertThat(SpecJson.write(plain)).doesNotContain("saveModel");
    assertThat(SpecJson.canonical(plain.finetune())).doesNotContain("saveModel");
    assertThat(SpecJson.read(SpecJson.write(plain), "test").finetune().saveModel()).isFalse();
  }

  @Test
  void finetuneFieldsAreOptionalOverridesAndARecipeRoundTrips() {
    String json = """
        {"name": "recipes", "seeds": 1,
         "tasks": [{"type": "gue", "name": "prom_core_tata"}],
         "tokenizers": [{"type": "nucleotide"}],
         "models": [{"type": "cnn"}],
         "pretraining": [{"type": "none"}],
         "finetune": {"epochs": 2}}
        """;
    FinetuneSpec finetune = SpecJson.read(json, "spec.json").finetune();
    assertThat(finetune).isEqualTo(new FinetuneSpec(null, 2, null, null, null, false, 0));
    // No finetune fields at all: each family's own recipe, nothing overridden.
    assertThat(SpecJson.read(json.replace("{\"epochs\": 2}", "{}"), "spec.json").finetune())
        .isEqualTo(FinetuneSpec.defaults());
    // A 0.1 spec's four numbers read as overrides of the family's recipe.
    FinetuneSpec older = SpecJson.read(json.replace("{\"epochs\": 2}", "{\"epochs\": 3, "
        + "\"learningRate\": 0.001, \"batchSize\": 64, \"weightDecay\": 0.1}"), "old.json")
        .finetune();
    assertThat(older).isEqualTo(new FinetuneSpec(3, 1e-3, 64, 0.1));
    assertThat(older.recipe()).isNull();
    // A recipe, task rules included, round-trips; unset overrides are not written.
    ExperimentSpec withRecipe = new ExperimentSpec("recipe", List.of(new TaskSpec.Gue("tf_0")),
        List.of(new TokenizerSpec.Nucleotide()), List.of(new ModelSpec.CnnBaseline()),
        List.of(new PretrainSpec.None()),
        FinetuneSpec.defaults().withRecipe(Recipes.dnabert2Gue()), 1);
    String written = SpecJson.write(withRecipe);
    assertThat(written).contains("\"name\" : \"dnabert2-gue\"").doesNotContain("\"epochs\" : null");
    assertThat(SpecJson.read(written, "test")).isEqualTo(withRecipe);
  }

  @Test
  void errorsNameSourceLineColumnAndField() {
    String badEpochs = """
        {"name": "x", "seeds": 1,
         "tasks": [{"type": "gue", "name": "tf_0"}],
         "tokenizers": [{"type": "nucleotide"}],
         "models": [{"type": "cnn"}],
         "pretraining": [{"type": "none"}],
         "finetune": {"epochs": 0, "learningRate": 0.001, "batchSize": 64, "weightDecay": 0.1}}
        """;
    assertThatThrownBy(() -> SpecJson.read(badEpochs, "spec.json"))
        .hasMessageStartingWith("spec.json:6:")
        .hasMessageEndingWith("finetune.epochs: must be between 1 and 10000, got 0");
    String unknownModel = badEpochs.replace("{\"type\": \"cnn\"}", "{\"type\": \"resnet\"}");
    assertThatThrownBy(() -> SpecJson.read(unknownModel, "spec.json"))
        .hasMessageStartingWith("spec.json:4:")
        .hasMessageContaining("'resnet'")
        .hasMessageContaining("[bert, cnn, convnova, esm, standardbert, unet]");
    String typo = badEpochs.replace("\"epochs\": 0", "\"epochs\": 1")
        .replace("\"seeds\"", "\"seed\"");
    // Jackson ignores the unknown "seed" of a record; the forgotten "seeds" is what is reported.
    assertThatThrownBy(() -> SpecJson.read(typo, "spec.json"))
        .hasMessageStartingWith("spec.json:6:")
        .hasMessageEndingWith(": missing field \"seeds\"");
  }

  @Test
  void canonicalTextOfEveryModelFamilyIsPinned() {
    // Stage keys hash this text: a change here silently orphans every stored run, so it is pinned
    // verbatim (the JSON tag first, then the fields in name order). Bert's gained attentionDropout
    // with BERT code version 2, whose numerics changed anyway: its old runs are orphaned on purpose.
    assertThat(SpecJson.canonical(ModelSpec.ConvNova.genomicBenchmarks())).isEqualTo(
        "{\"type\":\"convnova\",\"blocks\":5,\"dilationBase\":4,\"feedForward\":false,"
            + "\"headFactor\":4,\"kernelSize\":5,\"width\":64}");
    assertThat(SpecJson.canonical(new ModelSpec.CnnBaseline())).isEqualTo("{\"type\":\"cnn\"}");
    assertThat(SpecJson.canonical(new ModelSpec.UNet(3, 32)))
        .isEqualTo("{\"type\":\"unet\",\"depth\":3,\"width\":32}");
    assertThat(SpecJson.canonical(new ModelSpec.Bert(4, 256, 4, 1024))).isEqualTo(
        "{\"type\":\"bert\",\"attentionDropout\":0.0,\"dropout\":0.1,\"heads\":4,"
            + "\"hidden\":256,\"intermediate\":1024,\"layers\":4,\"pooling\":\"AUTO\",\"preNorm\":false,\"tiedHead\":true}");
  }
}
