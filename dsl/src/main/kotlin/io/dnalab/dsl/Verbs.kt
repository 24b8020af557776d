package io.dnalab.dsl

import io.dnalab.spec.ModelSpec
import io.dnalab.spec.Recipe
import io.dnalab.spec.Recipes
import io.dnalab.spec.TaskSpec
import io.dnalab.spec.TokenizerSpec
import java.io.File
import java.nio.file.Path

// Tasks ---------------------------------------------------------------------------------------

/** A task of the GUE benchmark, e.g. `gue("prom_core_all")`, resolved through the dataset catalog. */
fun gue(name: String): TaskSpec = TaskSpec.Gue(name)

/**
 * A Genomic Benchmarks task by its catalog name, e.g. `genomicBenchmarks("human_nontata_promoters")`:
 * read from `genomic_benchmarks/<name>/` (as `download_dataset` writes it) in the cache or in
 * `$DNALAB_DATA`, published split sizes checked, dev carved from train with a recorded seed.
 */
fun genomicBenchmarks(name: String): TaskSpec = TaskSpec.GenomicBenchmarks(name)

/**
 * A Nucleotide Transformer downstream task by its catalog name, e.g. `ntTask("promoter_all")`: read
 * from `nucleotide_transformer/<name>/{train,test}.fna` in the cache or in `$DNALAB_DATA`, dev
 * carved from train with a recorded seed.
 */
fun ntTask(name: String): TaskSpec = TaskSpec.NucleotideTransformer(name)

/** A task that ships with dnalab (no download), e.g. the quickstart's. */
fun builtin(name: String): TaskSpec = TaskSpec.Builtin(name)

/**
 * A folder of your own with `train.csv`, `dev.csv`, `test.csv` (optionally gzipped), a Genomic
 * Benchmarks folder or labelled FASTA files. Sequences may differ in length (batches are padded
 * and masked); [maxLength] (bases, 0 for no limit) refuses longer ones, naming file, line and
 * length (nothing is truncated).
 */
fun localTask(folder: String, maxLength: Int = 0): TaskSpec = TaskSpec.Local(Path.of(folder), maxLength)

// Tokenizers ----------------------------------------------------------------------------------

/** One token per base (A, C, G, T, N). */
fun nucleotide(): TokenizerSpec = TokenizerSpec.Nucleotide()

/** k-mers: overlapping (DNABERT) or non-overlapping (Nucleotide Transformer). */
fun kmer(k: Int, overlapping: Boolean = true): TokenizerSpec = TokenizerSpec.Kmer(k, overlapping)

/** Byte-pair encoding with [vocabSize] tokens, trained on [corpus] FASTA files (default: the task's training sequences). */
fun bpe(vocabSize: Int = 4096, corpus: List<String> = emptyList()): TokenizerSpec =
    TokenizerSpec.Bpe(vocabSize, corpus)

/** A Hugging Face `tokenizer.json`, e.g. DNABERT-2's. */
fun fromFile(path: String): TokenizerSpec = TokenizerSpec.FromFile(File(path).toPath())

// Models --------------------------------------------------------------------------------------

/** ConvNova; by default the Genomic Benchmarks configuration (width 64, kernel 5, ≈0.38M parameters). */
fun convNova(
    width: Int = 64,
    kernelSize: Int = 5,
    blocks: Int = 5,
    dilationBase: Int = 4,
    headFactor: Int = 4,
    feedForward: Boolean = false,
): ModelSpec = ModelSpec.ConvNova(width, kernelSize, blocks, dilationBase, headFactor, feedForward)

/** The Genomic Benchmarks CNN baseline. */
fun cnnBaseline(): ModelSpec = ModelSpec.CnnBaseline()

/** A 1-D U-Net with [depth] down/up stages starting at [width] channels. */
fun unet(depth: Int = 3, width: Int = 32): ModelSpec = ModelSpec.UNet(depth, width)

/**
 * A BERT-style encoder (ALiBi, GEGLU) as DNABERT-2, classified through BERT's pooler as
 * DNABERT-2; small by default so it trains on a CPU. [dropout] is DNABERT-2's hidden dropout
 * (embeddings, attention output, feed-forward before `wo`, classifier head), [attentionDropout]
 * its dropout on attention probabilities (0.0 in DNABERT-2). [pooling] is how a classifier reads
 * it ([CLS] or the mean over positions); the default, AUTO, takes per cell the one its pretraining
 * trained ([CLS] where the tokenizer adds it, the mean for single nucleotides), [preNorm] moves the LayerNorms before each sub-layer,
 * [tiedHead] ties a language-model head to the token embedding. [attentionDropout] comes last so
 * calls written before it keep their meaning.
 */
fun bert(
    layers: Int = 4,
    hidden: Int = 256,
    heads: Int = 4,
    intermediate: Int = 4 * hidden,
    dropout: Double = 0.1,
    preNorm: Boolean = false,
    pooling: ModelSpec.Pooling = ModelSpec.Pooling.AUTO,
    tiedHead: Boolean = true,
    attentionDropout: Double = ModelSpec.Bert.DNABERT2_ATTENTION_DROPOUT,
): ModelSpec =
    ModelSpec.Bert(layers, hidden, heads, intermediate, dropout, attentionDropout, preNorm, pooling, tiedHead)

/**
 * DNABERT-2's size and recipe: 12 layers, 768 wide, 12 heads, feed-forward 3072; with a 4096 BPE,
 * 117,068,544 parameters up to the pooler (DNABERT-2's published count), plus the output layer.
 */
fun dnabert2(): ModelSpec = ModelSpec.Bert.dnabert2()

// Fine-tuning recipes (see io.dnalab.spec.Recipes for every number and its source file)

/**
 * DNABERT-2's fine-tuning on GUE (`finetune/scripts/run_dnabert2.sh`): AdamW 3e-5, weight decay
 * 0.01 except biases and LayerNorm, 50 warm-up steps (30 for tf and mouse) then linear decay to 0,
 * clip 1, batch 32, epochs and token caps per task, best dev loss of evaluations every 200 steps.
 */
fun dnabert2Gue(): Recipe = Recipes.dnabert2Gue()

/**
 * ConvNova's recipe (`configs/experiment/genomic-benchmark/convnova.yaml`): AdamW 1e-3, weight decay 0.1 on all
 * parameters, cosine with 1% warm-up to 0.1·lr, clip 1, batch 128 and 10 epochs (Genomic
 * Benchmarks numbers; 256 and 20 for Nucleotide Transformer tasks); dev carved from train.
 */
fun convNovaRecipe(): Recipe = Recipes.convNovaRecipe()

/** The Genomic Benchmarks CNN's training: Adam 1e-3, no decay, no schedule, batch 64, 10 epochs, last epoch kept. */
fun gbCnnRecipe(): Recipe = Recipes.gbCnnRecipe()
