package io.dnalab.dsl

import io.dnalab.spec.CorpusSpec
import io.dnalab.spec.Objective
import io.dnalab.spec.PretrainSpec
import io.dnalab.spec.SpecException
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class PretrainingDslTest {
    @Test
    fun `pretrain(false, mlm()) states both regimes on one architecture`() {
        val spec = experimentSpec("worth-it") {
            tasks(gue("prom_core_all"))
            tokenizer(kmer(6))
            model(bert(layers = 2, hidden = 128))
            pretrain(false, mlm(corpus = genomes("human_GRCh37_chr20"), steps = 2_000), randomMask(multiSpecies(), steps = 500))
        }
        assertThat(spec.pretraining()).hasSize(3)
        assertThat(spec.pretraining()[0]).isEqualTo(PretrainSpec.None())
        val mlm = spec.pretraining()[1] as PretrainSpec.Pretrain
        assertThat(mlm.objective()).isEqualTo(Objective.TokenMlm(0.15))
        assertThat(mlm.corpus().genomes()).containsExactly(CorpusSpec.GenomeSource("human_GRCh37_chr20", 1.0))
        assertThat(mlm.steps()).isEqualTo(2_000)
        assertThat(mlm.warmupSteps()).isEqualTo(120)
        val curriculum = spec.pretraining()[2] as PretrainSpec.Pretrain
        assertThat(curriculum.objective()).isEqualTo(Objective.RandomMask(0.15, 1, 8, 4))
        assertThat(curriculum.corpus()).isEqualTo(CorpusSpec.multiSpecies())
        assertThat(spec.cells().map { it.pretrain().id() })
            .containsExactly("none", "mlm-human_GRCh37_chr20-2000", "randommask-multispecies-500")
        assertThat(nextToken(humanOnly(), steps = 10).let { (it as PretrainSpec.Pretrain).objective() })
            .isEqualTo(Objective.NextToken())
        assertThat((spanMlm(steps = 10) as PretrainSpec.Pretrain).objective()).isEqualTo(Objective.SpanMlm(0.15, 0.2, 10))
    }

    @Test
    fun `none, false and objectives are the accepted regimes, in the builder and in exclude`() {
        fun grid(block: ExperimentBuilder.() -> Unit) = experimentSpec("regimes") {
            task(gue("tf_0"))
            model(bert(layers = 1, hidden = 64, heads = 2))
            block()
        }
        val objective = mlm(steps = 10)
        val typed = grid { pretrain(none, objective); exclude { pretrain(none) } }
        val older = grid { pretrain(false, objective); exclude { pretrain(false) } }
        assertThat(typed).isEqualTo(older)
        assertThat(typed.cells().map { it.pretrain() }).containsExactly(objective)
        assertThat(grid { pretrain(objective) }.pretraining()).containsExactly(objective)
        assertThat(grid { pretrain(none) }.pretraining()).containsExactly(PretrainSpec.None())
        // A Boolean's value is not in its type: true is the one regime still refused at run time.
        assertThat(assertThrows<SpecException> { grid { exclude { pretrain(true, objective) } } })
            .hasMessage("exclude.pretrain: expects none, false or a pretraining objective such as mlm(...), got true")
    }

    @Test
    fun `a bad value names the field`() {
        val error = assertThrows<SpecException> { mlm(rate = 0.0) }
        assertThat(error.message).isEqualTo("objective.rate: must be in (0, 1), got 0.0")
    }

    @Test
    fun `genomes(file(…)) takes FASTA files and folders beside catalog genomes, weighted`() {
        val corpus = genomes(file("/data/hg38.fa.gz"), file("/data/bacteria", id = "microbes"), genome("drosophila_dm_chr2R"),
            weights = listOf(2.0, 1.0, 1.0))
        assertThat(corpus.genomes()).containsExactly(
            CorpusSpec.GenomeSource("hg38", 2.0, java.nio.file.Path.of("/data/hg38.fa.gz")),
            CorpusSpec.GenomeSource("microbes", 1.0, java.nio.file.Path.of("/data/bacteria")),
            CorpusSpec.GenomeSource("drosophila_dm_chr2R", 1.0))
        assertThat(corpus.name()).isEqualTo("hg38+microbes+drosophila_dm_chr2R")
        val error = assertThrows<IllegalArgumentException> { genomes(file("/a.fa"), weights = listOf(1.0, 2.0)) }
        assertThat(error.message).isEqualTo("genomes: 1 genomes but 2 weights")
    }
}
