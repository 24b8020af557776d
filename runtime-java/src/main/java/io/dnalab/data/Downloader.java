package io.dnalab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Fetches a URL ({@code http(s)://} or {@code file://}) into a folder: the bytes go to a temporary
 * file next to the target, their sha256 is computed on the way, and the file is renamed into place
 * only when the checksum matches. A mismatch deletes the temporary file and is an error.
 */
public final class Downloader {
  private static final int CONNECT_TIMEOUT_MS = 15_000;
  private static final int READ_TIMEOUT_MS = 60_000;

  /**
   * Downloads {@code url} to {@code target}.
   *
   * @param expectedSha256 sha256 of the downloaded bytes as stored; null when the source publishes
   *     none, in which case the caller must verify the content (the catalog verifies every file it
   *     extracts) and the downloaded bytes are accepted as they are
   * @return {@code target}
   */
  public Path fetch(URI url, Path target, String expectedSha256) {
    Path folder = target.toAbsolutePath().getParent();
    Path temp = null;
    try {
      Files.createDirectories(folder);
      temp = Files.createTempFile(folder, target.getFileName().toString(), ".download");
      MessageDigest digest = DataFiles.sha256Digest();
      URLConnection connection = url.toURL().openConnection();
      connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
      connection.setReadTimeout(READ_TIMEOUT_MS);
      try (InputStream in = connection.getInputStream();
          var out = Files.newOutputStream(temp)) {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) >= 0) {
          digest.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(actual)) {
        throw DataFormatException.ofFile(target, "download from " + url + " has sha256 " + actual
            + " but the catalog expects " + expectedSha256 + "; the file was not kept");
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot download " + url + " to " + target + ": "
          + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // best effort: a leftover .download file is never read as data
        }
      }
    }
  }
}
