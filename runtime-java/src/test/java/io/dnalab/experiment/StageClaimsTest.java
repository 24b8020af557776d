package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageClaimsTest {
  private static final String KEY = ResultWorkerMain.key(1);

  @Test
  void aLiveClaimKeepsOthersOutUntilReleased(@TempDir Path dir) {
    StageClaims claims = new StageClaims(dir, Duration.ofMinutes(5));
    Optional<StageClaims.Claim> first = claims.tryClaim(KEY);
    assertThat(first).isPresent();
    assertThat(claims.tryClaim(KEY)).as("held by a live process (this one)").isEmpty();
    StageClaims.Holder holder = claims.holder(KEY).orElseThrow();
    assertThat(holder.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(holder.host()).isEqualTo(StageClaims.hostName());
    first.get().close();
    assertThat(claims.holder(KEY)).isEmpty();
    assertThat(claims.tryClaim(KEY)).isPresent();
  }

  @Test
  void aClaimOfADeadProcessOnThisHostIsRecovered(@TempDir Path dir) throws Exception {
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    StageClaims claims = new StageClaims(dir, Duration.ofMinutes(5));
    Files.writeString(claims.file(KEY), "host=" + StageClaims.hostName() + "\npid=" + dead.pid()
        + "\nstarted=2026-12-02T00:00:00Z\nheartbeat=" + Instant.now() + "\ntoken=old\n");
    StageClaims.Claim recovered = claims.tryClaim(KEY).orElseThrow();
    assertThat(claims.holder(KEY).orElseThrow().pid()).isEqualTo(ProcessHandle.current().pid());
    recovered.close();
  }

  @Test
  void aClaimFromAnotherHostIsRecoveredOnlyOnceItsHeartbeatIsOld(@TempDir Path dir)
      throws Exception {
    StageClaims claims = new StageClaims(dir, Duration.ofSeconds(60));
    Instant heartbeat = Instant.now().minusSeconds(30);
    Files.writeString(claims.file(KEY), "host=elsewhere\npid=1\nstarted=" + heartbeat
        + "\nheartbeat=" + heartbeat + "\ntoken=remote\n");
    Files.setLastModifiedTime(claims.file(KEY), FileTime.from(heartbeat));
    assertThat(claims.tryClaim(KEY)).as("30 s old, timeout 60 s: alive").isEmpty();

    Instant old = Instant.now().minusSeconds(120);
    Files.writeString(claims.file(KEY), "host=elsewhere\npid=1\nstarted=" + old
        + "\nheartbeat=" + old + "\ntoken=remote\n");
    Files.setLastModifiedTime(claims.file(KEY), FileTime.from(old));
    assertThat(claims.tryClaim(KEY)).as("120 s old: its holder is taken as dead").isPresent();
  }

  @Test
  void aWaiterThatFindsTheStageDoneAfterClaimingDoesNotRunIt(@TempDir Path dir) {
    StageClaims claims = new StageClaims(dir, Duration.ofMinutes(5));
    // done is false when first asked, true once the claim is held: the previous holder finished
    // between the check and the claim.
    int[] asked = {0};
    Optional<StageClaims.Claim> claim = claims.claimOrWait(KEY, () -> asked[0]++ > 0,
        Duration.ofMillis(10));
    assertThat(claim).isEmpty();
    assertThat(claims.holder(KEY)).as("released again").isEmpty();
  }
}
