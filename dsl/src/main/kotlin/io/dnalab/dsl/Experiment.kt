package io.dnalab.dsl

import io.dnalab.spec.ExclusionRule
import io.dnalab.spec.ExperimentSpec
import io.dnalab.spec.FinetuneSpec
import io.dnalab.spec.ModelSpec
import io.dnalab.spec.PretrainSpec
import io.dnalab.spec.Recipe
import io.dnalab.spec.SpecException
import io.dnalab.spec.TaskSpec
import io.dnalab.spec.TokenizerSpec

/** Keeps verbs of an outer builder out of an inner block (`finetune { seeds(3) }` does not compile). */
@DslMarker
annotation class DnalabDsl

/**
 * Random initialisation as a pretraining regime: `pretrain(none, mlm(...))` compares the same
 * architecture untrained and pretrained.
 */
val none: PretrainSpec = PretrainSpec.None()

/**
 * `false` means [none]; `true` names no objective, so it is refused with the fix. (A Boolean
 * literal's value is not part of its type: this one check stays at run time.)
 */
private fun noPretraining(pretrained: Boolean, field: String): PretrainSpec {
    if (pretrained) {
        throw SpecException(field, "expects none, false or a pretraining objective such as mlm(...), got true")
    }
    return none
}

/**
 * States an experiment: every combination of [ExperimentBuilder.tasks] × [ExperimentBuilder.tokenizer] ×
 * [ExperimentBuilder.model] × [ExperimentBuilder.pretrain], fine-tuned with one budget over
 * [ExperimentBuilder.seeds] seeds. Returns the validated, immutable spec; a mistake fails here with
 * a message naming the field.
 */
fun experimentSpec(name: String = "experiment", block: ExperimentBuilder.() -> Unit): ExperimentSpec =
    ExperimentBuilder(name).apply(block).build()

@DnalabDsl
class ExperimentBuilder internal constructor(private val name: String) {
    private val tasks = mutableListOf<TaskSpec>()
    private val tokenizers = mutableListOf<TokenizerSpec>()
    private val models = mutableListOf<ModelSpec>()
    private val pretraining = mutableListOf<PretrainSpec>()
    private var finetune: FinetuneSpec = FinetuneSpec.defaults()
    private var seeds = 1
    private val exclusions = mutableListOf<ExclusionRule>()
    private val predicates = mutableListOf<(ExperimentSpec.Cell) -> Boolean>()

    /** The tasks to fine-tune and evaluate on, e.g. `tasks(gue("tf_0"), gue("prom_core_all"))`. */
    fun tasks(vararg tasks: TaskSpec) {
        this.tasks += tasks
    }

    /** One task; same as `tasks(task)`. */
    fun task(task: TaskSpec) = tasks(task)

    /** One or more tokenizers to compare, e.g. `tokenizer(bpe(4096), kmer(6), nucleotide())`. */
    fun tokenizer(vararg tokenizers: TokenizerSpec) {
        this.tokenizers += tokenizers
    }

    /** One or more architectures to compare, e.g. `model(convNova(), cnnBaseline())`. */
    fun model(vararg models: ModelSpec) {
        this.models += models
    }

    /**
     * The pretraining regimes to compare, e.g. `pretrain(none, mlm(...))`: [none] (random
     * initialisation) or a pretraining objective such as [mlm]. Anything else does not compile.
     */
    fun pretrain(vararg regimes: PretrainSpec) {
        pretraining += regimes
    }

    /**
     * `pretrain(false, mlm(...))`: `false` is the older spelling of [none] and compares random
     * initialisation with the objectives that follow on the same architecture.
     */
    fun pretrain(pretrained: Boolean, vararg regimes: PretrainSpec) {
        pretraining += noPretraining(pretrained, "pretrain")
        pretraining += regimes
    }

    /** The fine-tuning budget, the same for every cell. */
    fun finetune(block: FinetuneBuilder.() -> Unit) {
        finetune = FinetuneBuilder(finetune).apply(block).build()
    }

    /** How many seeds each cell is trained with; results report mean ± sd over them. */
    fun seeds(count: Int) {
        seeds = count
    }

    /**
     * Leaves out the cells that match every field the block names, e.g.
     * `exclude { model(cnnBaseline()); pretrain(mlm()) }`; several values in one field match any
     * of them. The rule is part of the spec (it survives `toJson()`).
     */
    fun exclude(block: ExcludeBuilder.() -> Unit) {
        exclusions += ExcludeBuilder().apply(block).build()
    }

    /**
     * Leaves out every cell for which [predicate] is true, e.g.
     * `excludeIf { it.model() is ModelSpec.UNet && it.tokenizer() is TokenizerSpec.Bpe }`. The
     * predicate is evaluated on the grid here and stored as one exclusion rule per cell, so the
     * spec stays plain data.
     */
    fun excludeIf(predicate: (ExperimentSpec.Cell) -> Boolean) {
        predicates += predicate
    }

    internal fun build(): ExperimentSpec {
        val tokenizerList = tokenizers.ifEmpty { listOf(nucleotide()) }
        val pretrainList = pretraining.ifEmpty { listOf(PretrainSpec.None()) }
        val grid = tasks.flatMap { task ->
            tokenizerList.flatMap { tokenizer ->
                models.flatMap { model -> pretrainList.map { ExperimentSpec.Cell(task, tokenizer, model, it) } }
            }
        }
        val byPredicate = grid.filter { cell -> predicates.any { it(cell) } && exclusions.none { it.matches(cell) } }
        return ExperimentSpec(
            name,
            tasks,
            tokenizerList,
            models,
            pretrainList,
            finetune,
            seeds,
            exclusions + byPredicate.map { ExclusionRule.of(it) },
        )
    }
}

/** The fields of one `exclude { … }` rule; a field not named matches any value. */
@DnalabDsl
class ExcludeBuilder internal constructor() {
    private val tasks = mutableListOf<TaskSpec>()
    private val tokenizers = mutableListOf<TokenizerSpec>()
    private val models = mutableListOf<ModelSpec>()
    private val pretraining = mutableListOf<PretrainSpec>()

    fun tasks(vararg values: TaskSpec) { tasks += values }
    fun task(value: TaskSpec) { tasks += value }
    fun tokenizer(vararg values: TokenizerSpec) { tokenizers += values }
    fun model(vararg values: ModelSpec) { models += values }

    /** [none] for random initialisation, or pretraining specs. */
    fun pretrain(vararg regimes: PretrainSpec) { pretraining += regimes }

    /** `false` is the older spelling of [none], as in [ExperimentBuilder.pretrain]. */
    fun pretrain(pretrained: Boolean, vararg regimes: PretrainSpec) {
        pretraining += noPretraining(pretrained, "exclude.pretrain")
        pretraining += regimes
    }

    internal fun build() = ExclusionRule(tasks, tokenizers, models, pretraining)
}

/**
 * How every cell fine-tunes: by default each model family's published recipe (`bert` DNABERT-2's,
 * `convNova` ConvNova's, the CNN the Genomic Benchmarks'); [recipe] names one for every cell, and
 * each field set here (`epochs(2)`, `lr(1e-4)`, …) overrides the recipe's for every cell.
 */
@DnalabDsl
class FinetuneBuilder internal constructor(defaults: FinetuneSpec) {
    private var recipe: Recipe? = defaults.recipe()
    private var epochs: Int? = defaults.epochs()
    private var learningRate: Double? = defaults.learningRate()
    private var batchSize: Int? = defaults.batchSize()
    private var weightDecay: Double? = defaults.weightDecay()
    private var freezeEncoder = defaults.freezeEncoder()
    private var maxTrainExamples = defaults.maxTrainExamples()
    private var saveModel = defaults.saveModel()

    /** The recipe of every cell, e.g. `recipe(dnabert2Gue())`, in place of each family's own. */
    fun recipe(value: Recipe) { recipe = value }
    fun epochs(value: Int) { epochs = value }
    fun lr(value: Double) { learningRate = value }
    fun batchSize(value: Int) { batchSize = value }
    fun weightDecay(value: Double) { weightDecay = value }
    /** Train only the classification head on a frozen (pretrained or random) encoder: a probe. */
    fun freezeEncoder(value: Boolean = true) { freezeEncoder = value }

    /** Train on at most [count] examples: the same subset for every cell and seed (0 = all). */
    fun maxTrainExamples(count: Int) { maxTrainExamples = count }

    /**
     * Keep each run's fine-tuned model under its run key, for `dnalab predict --run KEY` and
     * [predict]. Changes no run key: cached runs stay cached, and one whose model is missing runs again.
     */
    fun saveModel(value: Boolean = true) { saveModel = value }

    internal fun build() =
        FinetuneSpec(recipe, epochs, learningRate, batchSize, weightDecay, freezeEncoder, maxTrainExamples, saveModel)
}
