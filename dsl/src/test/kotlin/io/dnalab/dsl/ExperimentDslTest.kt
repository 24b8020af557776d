package io.dnalab.dsl

import io.dnalab.spec.FinetuneSpec
import io.dnalab.spec.ModelSpec
import io.dnalab.spec.PretrainSpec
import io.dnalab.spec.Recipes
import io.dnalab.spec.SpecException
import io.dnalab.spec.SpecJson
import io.dnalab.spec.TaskSpec
import io.dnalab.spec.TokenizerSpec
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class ExperimentDslTest {
    @Test
    fun `the DSL builds the immutable spec it states`() {
        val spec = experimentSpec("tf") {
            tasks(gue("tf_0"))
            tokenizer(bpe(4096), kmer(6, overlapping = false), nucleotide())
            model(convNova(), cnnBaseline())
            pretrain(false)
            // the CNN baseline reads single nucleotides only: without this the spec is refused
            exclude { model(cnnBaseline()); tokenizer(bpe(4096), kmer(6, overlapping = false)) }
            finetune { epochs(5); lr(3e-4); batchSize(32) }
            seeds(3)
        }
        assertThat(spec.name()).isEqualTo("tf")
        assertThat(spec.tasks()).containsExactly(TaskSpec.Gue("tf_0"))
        assertThat(spec.tokenizers()).containsExactly(
            TokenizerSpec.Bpe(4096, emptyList()), TokenizerSpec.Kmer(6, false), TokenizerSpec.Nucleotide(),
        )
        assertThat(spec.models()).containsExactly(ModelSpec.ConvNova.genomicBenchmarks(), ModelSpec.CnnBaseline())
        assertThat(spec.pretraining()).containsExactly(PretrainSpec.None())
        assertThat(spec.finetune().epochs()).isEqualTo(5)
        assertThat(spec.finetune().learningRate()).isEqualTo(3e-4)
        assertThat(spec.finetune().batchSize()).isEqualTo(32)
        assertThat(spec.cells()).hasSize(4)
        assertThat(spec.runCount()).isEqualTo(12)
        assertThat(spec.tasks()).isUnmodifiable()
    }

    @Test
    fun `finetune takes a recipe and the fields set override it, nothing else`() {
        val spec = experimentSpec {
            task(gue("prom_core_tata")); model(dnabert2())
            finetune { recipe(convNovaRecipe()); epochs(2) }
        }
        assertThat(spec.finetune().recipe()).isEqualTo(Recipes.convNovaRecipe())
        assertThat(spec.finetune().epochs()).isEqualTo(2)
        // Fields not set stay unset: the recipe's numbers apply.
        // (typed as nullable: Kotlin would otherwise take the Java Double for non-null)
        assertThat(spec.finetune().learningRate() as Double?).isNull()
        assertThat(spec.finetune().batchSize() as Int?).isNull()
        val resolved = spec.finetune().resolve(dnabert2Gue(), spec.tasks()[0])
        assertThat(resolved.name()).isEqualTo("convnova")
        assertThat(resolved.epochs()).isEqualTo(2)
        assertThat(resolved.batchSize()).isEqualTo(128)
        // Without finetune { }, no recipe and no overrides: each family's own recipe.
        val plain = experimentSpec { task(gue("tf_0")); model(convNova()) }
        assertThat(plain.finetune()).isEqualTo(FinetuneSpec.defaults())
        assertThat(gbCnnRecipe()).isEqualTo(Recipes.gbCnnRecipe())
        assertThat(SpecJson.read(SpecJson.write(spec), "dsl")).isEqualTo(spec)
        // The spec's table shows each cell's recipe.
        assertThat(spec.toTable().columns.last()).isEqualTo("recipe")
        assertThat(spec.toTable().rows[0].last())
            .isEqualTo("convnova lr 0.001, cosine 1% warm-up, floor 0.1, 2 epochs, batch 128")
        // DNABERT-2's recipe caps BPE tokens; the cap cuts only a BPE cell, so a nucleotide cell
        // (the default tokenizer) states none and a BPE cell states it.
        assertThat(experimentSpec { task(gue("tf_0")); model(dnabert2()) }.toTable().rows[0].last())
            .isEqualTo("dnabert2-gue lr 3e-05, linear 30 warm-up, 3 epochs, batch 32")
        assertThat(experimentSpec { task(gue("tf_0")); tokenizer(bpe(4096)); model(dnabert2()) }.toTable().rows[0].last())
            .isEqualTo("dnabert2-gue lr 3e-05, linear 30 warm-up, 3 epochs, batch 32, BPE cap 30 tokens")
    }

    @Test
    fun `defaults are single-nucleotide tokens and no pretraining`() {
        val spec = experimentSpec { task(builtin("quickstart")); model(convNova()) }
        assertThat(spec.tokenizers()).containsExactly(TokenizerSpec.Nucleotide())
        assertThat(spec.pretraining()).containsExactly(PretrainSpec.None())
        assertThat(spec.seeds()).isEqualTo(1)
    }

    @Test
    fun `missing parts and bad values are named in the error`() {
        assertThat(assertThrows<SpecException> { experimentSpec { model(convNova()) } })
            .hasMessage("tasks: needs at least one value, got none")
        assertThat(assertThrows<SpecException> { experimentSpec { task(gue("tf_0")) } })
            .hasMessage("model: needs at least one value, got none")
        assertThat(assertThrows<SpecException> { experimentSpec { task(gue("tf_0")); model(convNova()); pretrain(true) } })
            .hasMessage("pretrain: expects none, false or a pretraining objective such as mlm(...), got true")
        assertThat(assertThrows<SpecException> {
            experimentSpec { task(gue("tf_0")); model(convNova()); finetune { lr(-1.0) } }
        }).hasMessage("finetune.lr: must be a positive finite number, got -1.0")
        assertThat(assertThrows<SpecException> { kmer(12) })
            .hasMessage("tokenizer.k: must be between 1 and 8, got 12")
        assertThat(assertThrows<SpecException> { bert(hidden = 100, heads = 3) })
            .hasMessage("model.heads: hidden (100) must be divisible by heads (3)")
        assertThat(assertThrows<SpecException> { bert(dropout = 1.0) })
            .hasMessage("model.dropout: must be in [0, 1), got 1.0")
        assertThat(dnabert2()).isEqualTo(ModelSpec.Bert(12, 768, 12, 3072))
        assertThat((bert(attentionDropout = 0.2) as ModelSpec.Bert).attentionDropout()).isEqualTo(0.2)
        assertThat((bert(dropout = 0.3) as ModelSpec.Bert).attentionDropout()).isEqualTo(0.0)
        assertThat(assertThrows<SpecException> { bert(attentionDropout = 1.0) })
            .hasMessage("model.attentionDropout: must be in [0, 1), got 1.0")
        assertThat(bert(pooling = ModelSpec.Pooling.MEAN, preNorm = true).id()).isEqualTo("bert-4x256-prenorm")
        assertThat(experimentSpec { task(gue("tf_0")); model(dnabert2()); finetune { freezeEncoder() } }
            .finetune().freezeEncoder()).isTrue()
        val keeping = experimentSpec { task(gue("tf_0")); model(dnabert2()); finetune { epochs(2); saveModel() } }
        assertThat(keeping.finetune().saveModel()).isTrue()
        assertThat(keeping.finetune().epochs()).isEqualTo(2)
        assertThat(io.dnalab.spec.SpecJson.read(io.dnalab.spec.SpecJson.write(keeping), "test")).isEqualTo(keeping)
        assertThat(experimentSpec { task(gue("tf_0")); model(dnabert2()) }.finetune().saveModel()).isFalse()
        assertThat(assertThrows<SpecException> { gue(" ") })
            .hasMessage("task: needs a task name, got \"\"")
    }

    @Test
    fun `exclude rules and predicates leave cells out and survive JSON`() {
        val spec = experimentSpec("grid") {
            tasks(gue("tf_0"), gue("prom_core_all"))
            tokenizer(nucleotide(), kmer(6, overlapping = false))
            model(convNova(), cnnBaseline(), unet())
            exclude { tokenizer(kmer(6, overlapping = false)); model(cnnBaseline()) }
            excludeIf { it.task() == gue("prom_core_all") && it.model() is ModelSpec.UNet }
            seeds(2)
        }
        // 12 cells; the rule drops 2 (k-mer × cnn on each task), the predicate 2 (prom × unet)
        assertThat(spec.cells()).hasSize(8)
        assertThat(spec.cells()).noneMatch { it.model() is ModelSpec.CnnBaseline && it.tokenizer() is TokenizerSpec.Kmer }
        assertThat(spec.cells()).noneMatch { it.task() == gue("prom_core_all") && it.model() is ModelSpec.UNet }
        assertThat(spec.exclude()).hasSize(3)
        assertThat(SpecJson.read(spec.toJson(), "spec.json")).isEqualTo(spec)
        val error = org.junit.jupiter.api.assertThrows<SpecException> {
            experimentSpec { task(gue("tf_0")); model(convNova()); exclude { model(unet()) } }
        }
        assertThat(error.message).startsWith("exclude: rule 1 (exclude { model(unet-3x32) }) matches no cell")
    }
}
