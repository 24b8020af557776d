package io.dnalab.train;

import io.dnalab.spec.Objective;
import java.nio.file.Path;

/**
 * The child JVM of {@link PretrainCheckpointTest}: pretrains with partial checkpoints every 5
 * steps, slowing down (in the listener only, which does not touch the training) after step 10
 * so the parent can kill it mid-run.
 */
public final class PretrainResumeChild {
  private PretrainResumeChild() {}

  public static void main(String[] args) {
    Path dataDir = Path.of(args[0]);
    Path checkpointRoot = Path.of(args[1]);
    PretrainFixtures.pretrainer(checkpointRoot, 5).run(PretrainCheckpointTest.SPEC,
        PretrainFixtures.inputs(dataDir), new TrainingListener() {
          @Override
          public void onStep(int epoch, long step, long totalSteps, double loss, double lr) {
            if (step > 10) {
              try {
                Thread.sleep(500);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        });
    System.out.println("child finished");
  }

  static Objective objective() {
    return Objective.TokenMlm.bert();
  }
}
