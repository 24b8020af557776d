package io.dnalab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.TokenizerSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {
  /** One small spec per family; a family added to the registry must add one here. */
  static final Map<Class<? extends ModelSpec>, ModelSpec> SAMPLES = Map.of(
      ModelSpec.ConvNova.class, ModelSpec.ConvNova.genomicBenchmarks(),
      ModelSpec.CnnBaseline.class, new ModelSpec.CnnBaseline(),
      ModelSpec.UNet.class, new ModelSpec.UNet(2, 8),
      ModelSpec.Bert.class, new ModelSpec.Bert(2, 32, 4, 64),
      ModelSpec.StandardBert.class, new ModelSpec.StandardBert(2, 32, 4, 64, 128, 2, 0.1, 0.1,
          ModelSpec.Pooling.CLS),
      ModelSpec.Esm.class, new ModelSpec.Esm(2, 32, 4, 64, 128, 1e-12, 0.0, 0.0,
          ModelSpec.Pooling.MEAN));

  /** 70 ids, pad 0, no complements (a stand-in for a k-mer or BPE vocabulary). */
  private static final InputVocabulary KMERS = new InputVocabulary(70, 0, 1, false,
      java.util.stream.IntStream.range(0, 70).toArray());

  private NDManager manager;

  @BeforeEach
  void setUp() {
    DnalabEngine.startDefault();
    DnalabEngine.seed(3);
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @Test
  void oneEntryPerSpecFamilyInTheSameOrderWithItsOwnCodeVersion() {
    List<ModelFamily<?>> families = ModelRegistry.families();
    assertThat(families.stream().map(f -> (Object) f.specType()).toList())
        .containsExactlyElementsOf(ModelSpec.FAMILIES.stream().map(f -> (Object) f.type())
            .toList());
    assertThat(SAMPLES.keySet()).as("a sample spec per family")
        .containsExactlyInAnyOrderElementsOf(families.stream().map(f -> f.specType()).toList());
    for (ModelFamily<?> family : families) {
      assertThat(family.capabilities().type()).isEqualTo(family.specType());
      // Stage keys name the family beside the version ("model:convnova": 1).
      assertThat(family.codeVersion()).isPositive();
      assertThat(ModelRegistry.codeVersion(family.capabilities().jsonTag()))
          .isEqualTo(family.codeVersion());
      assertThat(ModelRegistry.codeVersion(SAMPLES.get(family.specType())))
          .isEqualTo(family.codeVersion());
    }
  }

  @Test
  void statedCapabilitiesAgreeWithTheBlocksTheFamilyBuilds() {
    for (ModelSpec spec : SAMPLES.values()) {
      ModelSpec.Family capabilities = spec.family();
      ModelFamily<ModelSpec> family = ModelRegistry.family(spec);
      String name = spec.id();
      // Every family classifies single-nucleotide ids.
      assertThat(Models.create(spec, 2, 60)).as(name).isNotNull();
      // The spec layer's tokenizer kinds and the registry's vocabularies say the same thing.
      assertThat(family.accepts(KMERS)).as(name)
          .isEqualTo(capabilities.reads(new TokenizerSpec.Kmer(6, false)));
      assertThat(family.accepts(InputVocabulary.NUCLEOTIDE)).as(name)
          .isEqualTo(capabilities.reads(new TokenizerSpec.Nucleotide()));
      if (capabilities.hasEncoder()) {
        TokenEncoder encoder = Models.initialize(Models.createEncoder(spec, KMERS), manager, 2,
            12);
        assertThat(encoder.supportsCausal()).as(name).isEqualTo(capabilities.causal());
        assertThat(Models.createLanguageModel(spec, KMERS).encoder().vocabulary()).as(name)
            .isEqualTo(KMERS);
      } else {
        assertThatThrownBy(() -> Models.createEncoder(spec, KMERS)).as(name)
            .hasMessageContaining("no per-position output to pretrain");
        assertThatThrownBy(() -> Models.create(spec, 2, 60, KMERS)).as(name)
            .hasMessageContaining("single-nucleotide ids only");
      }
    }
  }

  @Test
  void approximateParametersFromTheSizesAlone() {
    // ConvNova: blocks · 3 · width² · k = 5 · 3 · 64² · 5
    assertThat(ModelRegistry.approximateParameters(ModelSpec.ConvNova.genomicBenchmarks()))
        .isEqualTo(307_200.0);
    // U-Net: Σ over levels of 4 · 3 · (width · 2^level)² = 12 · (32² + 64² + 128²)
    assertThat(ModelRegistry.approximateParameters(new ModelSpec.UNet(3, 32)))
        .isEqualTo(258_048.0);
    // BERT: layers · (4H² + 3HI) = 4 · (4 · 256² + 3 · 256 · 1024)
    assertThat(ModelRegistry.approximateParameters(new ModelSpec.Bert(4, 256, 4, 1024)))
        .isEqualTo(4_194_304.0);
    assertThat(ModelRegistry.approximateParameters(new ModelSpec.CnnBaseline())).isEqualTo(1e5);
    // The published ConvNova (378,050 parameters, ModelsTest) is within the stated factor 1.5.
    assertThat(378_050 / ModelRegistry.approximateParameters(
        ModelSpec.ConvNova.genomicBenchmarks())).isBetween(1 / 1.5, 1.5);
  }
}
