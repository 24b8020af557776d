package io.dnalab.dsl.jupyter

import io.dnalab.dsl.Conclusion
import io.dnalab.dsl.DatasetReport
import io.dnalab.dsl.GainPlots
import io.dnalab.dsl.GainTable
import io.dnalab.dsl.ModelComparison
import io.dnalab.dsl.ModelComparisonPlots
import io.dnalab.dsl.ObjectiveComparison
import io.dnalab.dsl.ResultPlots
import io.dnalab.dsl.Results
import io.dnalab.dsl.StoredResults
import io.dnalab.dsl.Table
import io.dnalab.dsl.TokenizerComparison
import io.dnalab.dsl.TokenizerReport
import io.dnalab.dsl.toPlanHtml
import io.dnalab.dsl.toTable
import io.dnalab.spec.ExperimentSpec
import io.dnalab.plots.FigureExport
import org.jetbrains.kotlinx.dataframe.DataFrame
import org.jetbrains.kotlinx.jupyter.api.HTML
import org.jetbrains.kotlinx.jupyter.api.MIME
import org.jetbrains.kotlinx.jupyter.api.ProcessingPriority
import org.jetbrains.kotlinx.jupyter.api.createRenderer
import org.jetbrains.kotlinx.jupyter.api.libraries.JupyterIntegration
import org.jetbrains.letsPlot.Figure

/**
 * Loaded by the Kotlin Jupyter kernel when a notebook depends on `io.dnalab:dnalab-dsl`
 * (registered in `META-INF/kotlin-jupyter-libraries/libraries.json`): the DSL's imports, and
 * renderers that produce static HTML, so a report reads fully offline — tables as plain `<table>`,
 * charts as inline `<svg>`, no script and no CDN.
 */
class Integration : JupyterIntegration() {
    override fun Builder.onLoaded() {
        import(*IMPORTS.toTypedArray())
        render<Table> { HTML(it.toHtml()) }
        render<ExperimentSpec> { HTML(it.toPlanHtml()) }
        render<StoredResults> { HTML(it.toHtml()) }
        render<Figure> { HTML(plotHtml(it)) }
        render<Results> { HTML(it.toHtml()) }
        render<GainTable> { HTML(it.toHtml()) }
        render<ObjectiveComparison> { HTML(it.toHtml()) }
        render<ModelComparison> { HTML(it.toHtml()) }
        // The generated conclusion as Markdown for a notebook front end, HTML for the report.
        render<Conclusion> { MIME("text/html" to it.toHtml(), "text/markdown" to it.toMarkdown(), "text/plain" to it.toMarkdown()) }
        render<ResultPlots> { HTML(plotHtml(it.metric())) }
        render<GainPlots> { HTML(plotHtml(it.forest())) }
        render<ModelComparisonPlots> { HTML(plotHtml(it.metric())) }
        render<DatasetReport> { HTML(it.toHtml()) }
        render<TokenizerReport> { HTML(it.toHtml()) }
        render<TokenizerComparison> { HTML(it.toHtml()) }
        // Long work shows progress in the cell that runs it. DISPLAY in a snippet resolves the
        // host of whichever cell is executing when it is called; the host an integration callback
        // receives does not outlive the callback.
        onLoaded {
            execute(
                "io.dnalab.dsl.ProgressDisplay.current = io.dnalab.dsl.ProgressDisplay { html, id, update -> " +
                    "if (update) UPDATE_DISPLAY(HTML(html), id) else DISPLAY(HTML(html), id) }",
            )
        }
        // Kotlin DataFrame's own integration loads with the DSL (it is a dependency) and renders
        // frames with a script-driven table; ours must win so that reports stay static.
        onLoaded {
            notebook.renderersProcessor.registerWithoutOptimizing(
                createRenderer(DataFrame::class) { frame: DataFrame<*> -> HTML(frame.toTable().toHtml()) },
                ProcessingPriority.HIGHER,
            )
        }
    }

    companion object {
        /**
         * What a notebook can use without an import line: the DSL itself, and the spec types its
         * arguments and `excludeIf { it.model() is ModelSpec.UNet }` predicates name. Nothing else
         * is imported (a notebook that draws its own Lets-Plot chart or reads [io.dnalab.result]
         * types imports them itself), so notebooks do not see runtime names they never use.
         */
        val IMPORTS = listOf(
            "io.dnalab.dsl.*",
            "io.dnalab.spec.*",
        )

        internal fun plotHtml(figure: Figure): String =
            "<div class=\"dnalab-plot\">" + FigureExport.svg(figure) + "</div>"
    }
}
