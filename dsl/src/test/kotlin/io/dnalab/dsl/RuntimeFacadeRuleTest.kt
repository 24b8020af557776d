package io.dnalab.dsl

import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.extension
import kotlin.io.path.name
import kotlin.io.path.readText

/**
 * The DSL reaches the runtime's behaviour through one facade, `io.dnalab.experiment.Dnalab`:
 * no source file of the DSL names a trainer, a model block, the catalog or a store. Value types it
 * shows (specs, results, metrics, statistics) may be named directly. Every `io.dnalab.…` name in a
 * source file counts, whether in an import, a qualified call or a string the notebook kernel
 * imports.
 */
class RuntimeFacadeRuleTest {
    @Test
    fun `the DSL names only the facade and value types of the runtime`() {
        val sources = Path.of("src/main/kotlin")
        assertThat(sources).isDirectory()
        val files = Files.walk(sources).use { paths -> paths.filter { it.extension == "kt" }.toList() }
        assertThat(files).hasSizeGreaterThan(10)
        val violations = files.flatMap { file ->
            runtimeNames(file.readText())
                .filter { !allowed(it) }
                .map { "${sources.relativize(file)}: $it" }
        }
        assertThat(violations).isEmpty()
    }

    @Test
    fun `the rule catches an import, a qualified call and a kernel import of an internal class`() {
        val source = """
            import io.dnalab.train.FineTuner
            import io.dnalab.spec.ModelSpec
            val x = io.dnalab.experiment.LocalPretrainRunner.readResult(folder)
            val imports = listOf("io.dnalab.store.*", "io.dnalab.dsl.*")
            val ok = io.dnalab.experiment.Dnalab.plan(spec)
        """.trimIndent()
        assertThat(runtimeNames(source).filterNot(::allowed)).containsExactly(
            "io.dnalab.train.FineTuner", "io.dnalab.experiment.LocalPretrainRunner", "io.dnalab.store.*",
        )
    }

    private companion object {
        /** Packages of values and pure functions over them, and the DSL's own modules. */
        val OPEN_PACKAGES = setOf("dsl", "spec", "result", "metrics", "plots")

        /** Everything else of the runtime the DSL may name: the facade and the values it returns. */
        val NAMED = setOf(
            "io.dnalab.experiment.Dnalab",
            "io.dnalab.experiment.Plan", // what a plan renders: stages, counts, time left
            "io.dnalab.experiment.Stage",
            "io.dnalab.experiment.ExecutionListener", // the notebook's progress line implements it
            "io.dnalab.train.TrainingListener", // ... and this, for steps inside a stage
            "io.dnalab.train.PretrainResult", // curve, held-out metrics, unigram baseline, cost
            "io.dnalab.data.DatasetStatistics",
            "io.dnalab.data.CorpusLeakageReport", // the leakage screen stored with a pretraining
            "io.dnalab.data.LoadOptions",
            "io.dnalab.data.PublishedResult",
            "io.dnalab.tokenize.Tokenizer", // what buildTokenizer returns and notebooks inspect
            "io.dnalab.tokenize.TokenizerStatistics",
            "io.dnalab.store.StoredRun", // one row of the result store
            "io.dnalab.cluster.SlurmOptions", // what slurm { } builds: a value, no behaviour
        )

        private val RUNTIME_NAME = Regex("""\bio\.dnalab\.([a-z]+)\.([A-Za-z_]\w*|\*)""")

        fun runtimeNames(source: String): List<String> = RUNTIME_NAME.findAll(source).map { it.value }.toList()

        fun allowed(name: String): Boolean = name.split('.')[2] in OPEN_PACKAGES || name in NAMED
    }
}
