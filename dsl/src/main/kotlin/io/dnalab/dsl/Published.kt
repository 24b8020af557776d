package io.dnalab.dsl

import io.dnalab.data.PublishedResult
import org.jetbrains.kotlinx.dataframe.DataFrame
import org.jetbrains.kotlinx.dataframe.api.dataFrameOf

/** Published GUE test MCC (DNABERT-2 paper, Table 4) as a data frame: model, task, mcc, source. */
fun publishedGue(): DataFrame<*> = PublishedResult.gue().toDataFrame()

/** Published results as a data frame: model, task, mcc, source. */
fun List<PublishedResult>.toDataFrame(): DataFrame<*> = dataFrameOf(
    "model" to map { it.model() },
    "task" to map { it.task() },
    "mcc" to map { it.mcc() },
    "source" to map { it.source() },
)
