package io.dnalab.dsl

import io.dnalab.experiment.Dnalab
import io.dnalab.spec.CorpusSpec
import io.dnalab.spec.Objective
import io.dnalab.spec.PretrainSpec

// Corpora -------------------------------------------------------------------------------------

/**
 * A pretraining corpus of catalog genomes, equally weighted unless [weights] says otherwise,
 * e.g. `genomes("human_chr20")` or `genomes("drosophila_dm_chr2R", "ustilago_maydis", weights = listOf(2.0, 1.0))`.
 * [leakage] `EXCLUDE` keeps pretraining windows off the corpus regions that hold the tasks' dev and
 * test sequences; the default `REPORT` only counts them (see [CorpusSpec]).
 */
fun genomes(
    vararg ids: String,
    weights: List<Double> = ids.map { 1.0 },
    name: String = ids.joinToString("+"),
    maxNFraction: Double = 0.0,
    reverseComplement: Boolean = true,
    heldOutFraction: Double = 0.05,
    leakage: CorpusSpec.Leakage = CorpusSpec.Leakage.REPORT,
): CorpusSpec = genomes(
    *ids.map { genome(it) }.toTypedArray(),
    weights = weights,
    name = name,
    maxNFraction = maxNFraction,
    reverseComplement = reverseComplement,
    heldOutFraction = heldOutFraction,
    leakage = leakage,
)

/**
 * A pretraining corpus of FASTA(.gz) files or folders of your own, and catalog genomes, equally
 * weighted unless [weights] says otherwise, e.g.
 * `genomes(file("/data/hg38.fa.gz"), file("/data/bacteria"), genome("drosophila_dm_chr2R"), weights = listOf(2.0, 1.0, 1.0))`.
 * Each file is hashed (sha256) at first use; the hash, not the path, goes into the pretraining's
 * key and its provenance, and is kept in the artifact store until the file's size or
 * modification time changes.
 */
fun genomes(
    vararg sources: CorpusSpec.GenomeSource,
    weights: List<Double> = sources.map { 1.0 },
    name: String = sources.joinToString("+") { it.id() },
    maxNFraction: Double = 0.0,
    reverseComplement: Boolean = true,
    heldOutFraction: Double = 0.05,
    leakage: CorpusSpec.Leakage = CorpusSpec.Leakage.REPORT,
): CorpusSpec {
    require(weights.size == sources.size) { "genomes: ${sources.size} genomes but ${weights.size} weights" }
    return CorpusSpec(
        name,
        sources.zip(weights).map { (source, weight) -> CorpusSpec.GenomeSource(source.id(), weight, source.path()) },
        maxNFraction,
        reverseComplement,
        heldOutFraction,
        leakage,
    )
}

/**
 * A FASTA(.gz) file, or a folder of FASTA files (`.fa`, `.fasta`, `.fna`, `.fas`, optionally
 * `.gz`, read in name order as one genome), as a corpus genome for [genomes]. It goes by [id] in
 * tables, by default the file name without its extensions (`hg38.fa.gz`: `hg38`); the id also
 * seeds which blocks are held out, so it is part of the pretraining's key.
 */
fun file(path: String, id: String? = null): CorpusSpec.GenomeSource {
    val source = CorpusSpec.GenomeSource.file(java.nio.file.Path.of(path), 1.0)
    return if (id == null) source else CorpusSpec.GenomeSource(id, 1.0, source.path())
}

/** A catalog genome by id or alias, to mix with [file]s in [genomes]. */
fun genome(id: String): CorpusSpec.GenomeSource = CorpusSpec.GenomeSource(id, 1.0)

/** Human chromosome 20 (GRCh37). */
fun humanOnly(): CorpusSpec = CorpusSpec.humanOnly()

/** Five bacteria, fly chromosome 2R, Plasmodium falciparum and Ustilago maydis, equally weighted. */
fun multiSpecies(): CorpusSpec = CorpusSpec.multiSpecies()

// Objectives ----------------------------------------------------------------------------------
//
// Every objective takes `seeds`: how many pretraining runs, with seeds `seed`, `seed + 1`, …, each
// its own stage. Every fine-tuning seed runs on every one of them, and the pretraining gain takes
// the pretraining seed as its unit (`mlm(seeds = 3)` with `seeds(3)`: 3 pretrainings, 9
// fine-tunings of the pretrained arm). With the default 1 the gain's interval is over
// fine-tuning seeds only: fine-tuning noise around one checkpoint.

private fun pretraining(
    objective: Objective,
    corpus: CorpusSpec,
    steps: Int,
    batchSize: Int,
    windowLength: Int,
    lr: Double,
    warmupSteps: Int,
    weightDecay: Double,
    evalEvery: Int,
    evalWindows: Int,
    seed: Long,
    seeds: Int,
): PretrainSpec = PretrainSpec.Pretrain(
    objective, corpus, steps, batchSize, windowLength, lr, warmupSteps, weightDecay, evalEvery, evalWindows, seed, seeds,
)

/** Token masked-LM (15%, 80/10/10), as BERT and DNABERT-2; whole-k-mer masking for overlapping k-mers. */
fun mlm(
    corpus: CorpusSpec = humanOnly(),
    steps: Int = 2_000,
    rate: Double = 0.15,
    batchSize: Int = 32,
    windowLength: Int = 512,
    lr: Double = 5e-4,
    warmupSteps: Int = maxOf(1, steps * 6 / 100),
    weightDecay: Double = 0.01,
    evalEvery: Int = maxOf(1, steps / 20),
    evalWindows: Int = 256,
    seed: Long = 0,
    seeds: Int = 1,
): PretrainSpec = pretraining(
    Objective.TokenMlm(rate), corpus, steps, batchSize, windowLength, lr, warmupSteps, weightDecay,
    evalEvery, evalWindows, seed, seeds,
)

/** SpanBERT-style span masking: geometric span lengths (p = [geometricP]) up to [maxSpan]. */
fun spanMlm(
    corpus: CorpusSpec = humanOnly(),
    steps: Int = 2_000,
    rate: Double = 0.15,
    geometricP: Double = 0.2,
    maxSpan: Int = 10,
    batchSize: Int = 32,
    windowLength: Int = 512,
    lr: Double = 5e-4,
    warmupSteps: Int = maxOf(1, steps * 6 / 100),
    weightDecay: Double = 0.01,
    evalEvery: Int = maxOf(1, steps / 20),
    evalWindows: Int = 256,
    seed: Long = 0,
    seeds: Int = 1,
): PretrainSpec = pretraining(
    Objective.SpanMlm(rate, geometricP, maxSpan), corpus, steps, batchSize, windowLength, lr, warmupSteps,
    weightDecay, evalEvery, evalWindows, seed, seeds,
)

/** RandomMask: the masked spans grow from [minSpan] to [maxSpan] over [stages] stages (see [Objective.RandomMask]). */
fun randomMask(
    corpus: CorpusSpec = humanOnly(),
    steps: Int = 2_000,
    rate: Double = 0.15,
    minSpan: Int = 1,
    maxSpan: Int = 8,
    stages: Int = 4,
    batchSize: Int = 32,
    windowLength: Int = 512,
    lr: Double = 5e-4,
    warmupSteps: Int = maxOf(1, steps * 6 / 100),
    weightDecay: Double = 0.01,
    evalEvery: Int = maxOf(1, steps / 20),
    evalWindows: Int = 256,
    seed: Long = 0,
    seeds: Int = 1,
): PretrainSpec = pretraining(
    Objective.RandomMask(rate, minSpan, maxSpan, stages), corpus, steps, batchSize, windowLength, lr,
    warmupSteps, weightDecay, evalEvery, evalWindows, seed, seeds,
)

/** Causal next-token prediction (the encoder runs causally). */
fun nextToken(
    corpus: CorpusSpec = humanOnly(),
    steps: Int = 2_000,
    batchSize: Int = 32,
    windowLength: Int = 512,
    lr: Double = 5e-4,
    warmupSteps: Int = maxOf(1, steps * 6 / 100),
    weightDecay: Double = 0.01,
    evalEvery: Int = maxOf(1, steps / 20),
    evalWindows: Int = 256,
    seed: Long = 0,
    seeds: Int = 1,
): PretrainSpec = pretraining(
    Objective.NextToken(), corpus, steps, batchSize, windowLength, lr, warmupSteps, weightDecay,
    evalEvery, evalWindows, seed, seeds,
)

// Public checkpoints ----------------------------------------------------------------------------

/**
 * A public checkpoint as an arm: `pretrain(false, checkpoint("zhihan1996/DNABERT-2-117M"))`, or a
 * folder path. [source] is a folder, or a hub id found in the Hugging Face cache (`HF_HUB_CACHE`,
 * else `HF_HOME/hub`, else `~/.cache/huggingface/hub`); nothing is downloaded, and a checkpoint
 * that is not here fails now, saying where it looked and the command that fetches it.
 *
 * A checkpoint brings its own architecture (its `config.json`) and tokenizer (DNABERT-2's
 * `tokenizer.json`, DNABERT's or NT's `vocab.txt`), so it is not crossed with `model(…)` and
 * `tokenizer(…)`: per task it adds
 * one cell that starts from its weights and, with `false`/[none] in the same `pretrain(…)`, one
 * cell of the same architecture and tokenizer freshly initialised by its family (pretraining
 * `none`, so `results.pretrainingGain()` pairs the two). The listed models meanwhile run with the
 * other regimes: `model(convNova()); pretrain(false, checkpoint(…))` gives ConvNova from scratch,
 * the checkpoint, and its random-init twin. Both checkpoint arms fine-tune with the family's
 * default recipe (DNABERT-2's for all three families so far), `finetune { … }` overrides applied,
 * the frozen probe (`finetune { freezeEncoder() }`) included. No tokenizer training or
 * pretraining stage runs for them; the checkpoint's content hash is in each run's key and
 * provenance, and a run refuses a checkpoint whose weights changed since it was planned.
 *
 * DNABERT-2 (MosaicBERT layout), DNABERT (k-mer, BERT layout) and Nucleotide Transformer v1 (ESM
 * layout) checkpoints; NT v2 is refused with a message.
 */
fun checkpoint(source: String): PretrainSpec = Dnalab.checkpoint(source)
