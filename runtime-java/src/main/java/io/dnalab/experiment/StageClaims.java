package io.dnalab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Who runs a stage now: before a process runs stage KEY it claims it by creating
 * {@code ARTIFACTS/.claims/KEY.claim} with an atomic, exclusive create ({@code O_CREAT|O_EXCL},
 * {@link Files#createFile}); of two processes racing for one stage exactly one succeeds, on a
 * local disk and on NFS v3+ alike. The holder deletes its claim when the stage's output is
 * published (or the stage failed).
 *
 * <p>The file holds {@code host}, {@code pid}, {@code started} and a {@code heartbeat} time the
 * holder rewrites every {@link #HEARTBEAT_EVERY}; its modification time moves with it. A claim is
 * <em>stale</em> when its holder died: the same host and that pid is gone (known at once), or its
 * heartbeat is older than the timeout ({@link #DEFAULT_TIMEOUT}, 5 minutes: a holder on another
 * host may have died, and NFS caches file times for up to a minute). A stale claim is recovered:
 * one recoverer at a time (it first creates {@code KEY.recover}, exclusively), re-reads the claim,
 * removes it only if it is still the stale one it judged, then claims the stage like anyone else,
 * so a live claim is never removed by another process.
 */
public final class StageClaims {
  /** How often a holder refreshes its heartbeat. */
  public static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(15);
  /** A claim whose heartbeat is older than this is taken as its holder's death. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private static final ScheduledExecutorService HEARTBEATS =
      Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "dnalab-claim-heartbeat");
        thread.setDaemon(true);
        return thread;
      });

  private final Path folder;
  private final Duration timeout;

  public StageClaims(Path folder, Duration timeout) {
    this.folder = folder.toAbsolutePath();
    this.timeout = timeout;
  }

  /** {@code .claims/} in {@code artifacts}' root, with the default timeout. */
  public static StageClaims of(ArtifactStore artifacts) {
    return new StageClaims(artifacts.root().resolve(".claims"), DEFAULT_TIMEOUT);
  }

  /** What a claim file says. */
  public record Holder(String host, long pid, Instant started, Instant heartbeat, String token) {
    /** For messages: {@code pid 4242 on node7 since 2026-12-02T01:00:00Z}. */
    public String describe() {
      return "pid " + pid + " on " + host + " since " + started;
    }
  }

  /** A claim this process holds; closing it releases the stage. */
  public final class Claim implements AutoCloseable {
    private final String key;
    private final Holder holder;
    private final ScheduledFuture<?> heartbeat;

    private Claim(String key, Holder holder) {
      this.key = key;
      this.holder = holder;
      long every = HEARTBEAT_EVERY.toMillis();
      this.heartbeat = HEARTBEATS.scheduleAtFixedRate(this::beat, every, every,
          TimeUnit.MILLISECONDS);
    }

    public String key() {
      return key;
    }

    private void beat() {
      Path file = file(key);
      try {
        // WRITE without CREATE: a claim removed meanwhile is not brought back.
        Files.writeString(file, text(new Holder(holder.host(), holder.pid(), holder.started(),
            Instant.now(), holder.token())), StandardCharsets.UTF_8, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
      } catch (IOException | RuntimeException ignored) {
        // The next beat tries again; a claim that cannot be refreshed goes stale, which only
        // lets another process recover it after the timeout.
      }
    }

    /** Stops the heartbeat and removes the claim file, if it is still this claim. */
    @Override
    public void close() {
      heartbeat.cancel(false);
      Path file = file(key);
      Optional<Holder> current = read(file);
      if (current.isPresent() && current.get().token().equals(holder.token())) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot release the claim " + file + ": "
              + e.getMessage(), e);
        }
      }
    }
  }

  /** Where the claim on stage {@code key} lives. */
  public Path file(String key) {
    if (!key.matches("[0-9a-f]{16,128}")) {
      throw new IllegalArgumentException("a stage key is a lower-case hex digest, got \"" + key
          + "\"");
    }
    return folder.resolve(key + ".claim");
  }

  /**
   * Claims stage {@code key} for this process, recovering a stale claim first; empty when a live
   * holder has it.
   */
  public Optional<Claim> tryClaim(String key) {
    Optional<Claim> claim = create(key);
    if (claim.isPresent()) {
      return claim;
    }
    Optional<Holder> holder = read(file(key));
    if (holder.isEmpty() || isStale(holder.get(), file(key))) {
      recover(key, holder.orElse(null));
      return create(key);
    }
    return Optional.empty();
  }

  /**
   * Claims stage {@code key}, waiting while a live holder has it; returns empty (holding no
   * claim) as soon as {@code done} says the stage's output exists, e.g. because the holder
   * finished it. {@code done} is asked again once the claim is held, so a stage finished by the
   * previous holder is never run again.
   */
  public Optional<Claim> claimOrWait(String key, java.util.function.BooleanSupplier done,
      Duration poll) {
    while (true) {
      if (done.getAsBoolean()) {
        return Optional.empty();
      }
      Optional<Claim> claim = tryClaim(key);
      if (claim.isPresent()) {
        // The holder before us may have finished the stage between the check and the claim.
        if (done.getAsBoolean()) {
          claim.get().close();
          return Optional.empty();
        }
        return claim;
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for stage " + key, e);
      }
    }
  }

  /** The current holder of stage {@code key}, if it is claimed. */
  public Optional<Holder> holder(String key) {
    return read(file(key));
  }

  private Optional<Claim> create(String key) {
    Path file = file(key);
    Instant now = Instant.now();
    Holder me = new Holder(hostName(), ProcessHandle.current().pid(), now, now,
        UUID.randomUUID().toString());
    try {
      Files.createDirectories(folder);
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot claim stage " + key + " in " + folder + ": "
          + e.getMessage(), e);
    }
    try {
      Files.writeString(file, text(me), StandardCharsets.UTF_8, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the claim " + file + ": " + e.getMessage(), e);
    }
    return Optional.of(new Claim(key, me));
  }

  /**
   * Dead holder: same host and its pid is gone, or the heartbeat (file time and recorded time,
   * the later of the two) is older than the timeout. A claim being written (empty for an instant
   * after its atomic create) is judged by its file time alone.
   */
  boolean isStale(Holder holder, Path file) {
    Instant lastSign;
    try {
      lastSign = Files.getLastModifiedTime(file).toInstant();
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (holder != null) {
      if (holder.host().equals(hostName()) && holder.pid() != ProcessHandle.current().pid()
          && ProcessHandle.of(holder.pid()).map(p -> !p.isAlive()).orElse(true)) {
        return true;
      }
      if (holder.heartbeat().isAfter(lastSign)) {
        lastSign = holder.heartbeat();
      }
    }
    return lastSign.plus(timeout).isBefore(Instant.now());
  }

  private void recover(String key, Holder judged) {
    Path lock = folder.resolve(key + ".recover");
    try {
      Files.createFile(lock);
    } catch (FileAlreadyExistsException e) {
      // Another process recovers it now; a recoverer that died leaves its lock, removed once old.
      try {
        if (Files.getLastModifiedTime(lock).toInstant().plus(timeout).isBefore(Instant.now())) {
          Files.deleteIfExists(lock);
        }
      } catch (IOException ignored) {
        // gone meanwhile
      }
      return;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot recover the claim on " + key + ": "
          + e.getMessage(), e);
    }
    try {
      Path file = file(key);
      Optional<Holder> now = read(file);
      // Only the claim judged stale is removed: same holder token (or still unreadable) and
      // still stale.
      boolean same = judged == null ? now.isEmpty()
          : now.isPresent() && now.get().token().equals(judged.token());
      if (same && isStale(now.orElse(null), file)) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot recover the claim on " + key + ": "
          + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(lock);
      } catch (IOException ignored) {
        // removed by the next recoverer once old
      }
    }
  }

  private static String text(Holder holder) {
    return "host=" + holder.host() + "\npid=" + holder.pid() + "\nstarted=" + holder.started()
        + "\nheartbeat=" + holder.heartbeat() + "\ntoken=" + holder.token() + "\n";
  }

  /** The claim's holder; empty when there is no file or it is still being written. */
  static Optional<Holder> read(Path file) {
    try {
      Properties p = new Properties();
      p.load(new java.io.StringReader(Files.readString(file, StandardCharsets.UTF_8)));
      if (p.getProperty("token") == null || p.getProperty("heartbeat") == null) {
        return Optional.empty();
      }
      return Optional.of(new Holder(p.getProperty("host"), Long.parseLong(p.getProperty("pid")),
          Instant.parse(p.getProperty("started")), Instant.parse(p.getProperty("heartbeat")),
          p.getProperty("token")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // Half-written or damaged: judged by its file time alone.
      return Optional.empty();
    }
  }

  private static volatile String host;

  static String hostName() {
    String name = host;
    if (name == null) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        name = "unknown";
      }
      host = name;
    }
    return name;
  }
}
