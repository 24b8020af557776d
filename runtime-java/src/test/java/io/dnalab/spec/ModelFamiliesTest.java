package io.dnalab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelFamiliesTest {
  private static final TaskSpec TF0 = new TaskSpec.Gue("tf_0");
  private static final PretrainSpec.Pretrain MLM =
      PretrainSpec.Pretrain.of(Objective.TokenMlm.bert(), CorpusSpec.humanOnly(), 100);
  private static final PretrainSpec.Pretrain NEXT_TOKEN =
      PretrainSpec.Pretrain.of(new Objective.NextToken(), CorpusSpec.humanOnly(), 100);

  @Test
  void everyModelRecordHasExactlyOneFamilyWithItsOwnTag() {
    List<Class<?>> records = Arrays.asList(ModelSpec.class.getPermittedSubclasses());
    assertThat(ModelSpec.FAMILIES.stream().map(f -> (Object) f.type()).toList())
        .as("one entry in ModelSpec.FAMILIES per record of ModelSpec")
        .containsExactlyInAnyOrderElementsOf(records);
    assertThat(ModelSpec.FAMILIES).extracting(ModelSpec.Family::jsonTag)
        .containsExactly("convnova", "cnn", "unet", "bert", "standardbert", "esm");
    assertThat(new ModelSpec.UNet(2, 8).family().jsonTag()).isEqualTo("unet");
  }

  @Test
  void capabilitiesOfTheFamilies() {
    ModelSpec.Family conv = ModelSpec.ConvNova.genomicBenchmarks().family();
    ModelSpec.Family cnn = new ModelSpec.CnnBaseline().family();
    ModelSpec.Family bert = ModelSpec.Bert.dnabert2().family();
    assertThat(cnn.hasEncoder()).isFalse();
    assertThat(cnn.reads(new TokenizerSpec.Nucleotide())).isTrue();
    assertThat(cnn.reads(new TokenizerSpec.Kmer(6, false))).isFalse();
    assertThat(cnn.canPretrainWith(Objective.TokenMlm.bert())).isFalse();
    // Every tokenizer kind, the file-backed one included.
    assertThat(conv.tokenizers()).hasSize(TokenizerSpec.class.getPermittedSubclasses().length);
    assertThat(conv.canPretrainWith(Objective.TokenMlm.bert())).isTrue();
    assertThat(conv.canPretrainWith(new Objective.NextToken())).isFalse();
    assertThat(bert.causal()).isTrue();
    assertThat(bert.canPretrainWith(new Objective.NextToken())).isTrue();
    assertThatThrownBy(() -> new ModelSpec.Family(ModelSpec.CnnBaseline.class, "x", "x()", false,
        true, ModelSpec.Family.ANY_TOKENIZER, "any")).hasMessageContaining("only an encoder");
  }

  @Test
  void aCellWhoseModelCannotBePretrainedNamesTheRuleThatLeavesItOut() {
    assertThatThrownBy(() -> grid(new ModelSpec.CnnBaseline(), new TokenizerSpec.Nucleotide(),
        MLM)).isInstanceOf(SpecException.class)
        .hasMessage("pretrain: cell gue/tf_0 · nucleotide · cnn-baseline · mlm-human-100 cannot "
            + "run: cnn-baseline has no token encoder to pretrain (it only trains from scratch); "
            + "leave it out with exclude { model(cnnBaseline()); pretrain(mlm-human-100) }");
    assertThatThrownBy(() -> grid(new ModelSpec.UNet(2, 8), new TokenizerSpec.Kmer(6, false),
        NEXT_TOKEN)).isInstanceOf(SpecException.class)
        .hasMessage("pretrain: cell gue/tf_0 · 6mer · unet-2x8 · nexttoken-human-100 cannot run: "
            + "next-token prediction needs an encoder that can run causally (bert); unet-2x8 "
            + "sees both sides of every position. Leave it out with exclude { model(unet()); "
            + "pretrain(nextToken(...)) }");
    // The combinations the families can run are accepted.
    assertThat(grid(new ModelSpec.Bert(2, 32, 4, 64), new TokenizerSpec.Kmer(6, false),
        NEXT_TOKEN).cells()).hasSize(1);
    assertThat(grid(new ModelSpec.UNet(2, 8), new TokenizerSpec.Bpe(512, List.of("h.fa")), MLM)
        .cells()).hasSize(1);
  }

  @Test
  void theCheckpointFamiliesRoundTripThroughSpecJson() {
    ExperimentSpec spec = new ExperimentSpec("checkpoints", List.of(TF0),
        List.of(new TokenizerSpec.Kmer(6, false)),
        List.of(ModelSpec.StandardBert.dnabert6(), ModelSpec.Esm.nucleotideTransformer500m()),
        List.of(new PretrainSpec.None()), FinetuneSpec.defaults(), 1);
    String json = SpecJson.write(spec);
    assertThat(json).contains("standardbert").contains("esm");
    assertThat(SpecJson.read(json, "spec.json")).isEqualTo(spec);
  }

  private static ExperimentSpec grid(ModelSpec model, TokenizerSpec tokenizer,
      PretrainSpec pretrain) {
    return new ExperimentSpec("grid", List.of(TF0), List.of(tokenizer), List.of(model),
        List.of(pretrain), FinetuneSpec.defaults(), 1);
  }
}
