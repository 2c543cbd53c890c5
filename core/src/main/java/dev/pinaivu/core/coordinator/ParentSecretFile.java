package dev.pinaivu.core.coordinator;

import dev.pinaivu.core.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@link ParentSecret} on disk: one line of 64 hex digits in a file only its owner may read or
 * write (no permission for group or others, e.g. 0600 or 0400). A file others could read is
 * refused, not fixed: whoever could read it could pass for the parent.
 */
public final class ParentSecretFile {
  private ParentSecretFile() {}

  /**
   * The secret in {@code file}.
   *
   * @throws IllegalArgumentException when the file is missing, unreadable, open to group or others,
   *     or does not hold 64 hex digits; the message says which and how to fix it
   */
  public static ParentSecret read(Path file) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("the parent secret file " + file + " does not exist", e);
    } catch (UnsupportedOperationException e) {
      throw new IllegalArgumentException(
          "cannot check that the parent secret file " + file + " is owner-only: no POSIX modes", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the parent secret file " + file + ": " + e, e);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("the parent secret file " + file + " is not a file");
    }
    Set<PosixFilePermission> open = EnumSet.copyOf(OwnerOnlyFiles.OTHERS);
    open.retainAll(permissions);
    if (!open.isEmpty()) {
      throw new IllegalArgumentException(
          "the parent secret file "
              + file
              + " is open to group or others (mode "
              + PosixFilePermissions.toString(permissions)
              + "); it must be owner-only: chmod 600 "
              + file);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the parent secret file " + file + ": " + e, e);
    }
    try {
      return ParentSecret.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the parent secret file " + file + " is malformed: " + e.getMessage(), e);
    }
  }

  /**
   * The secret in {@code file}, made first when there is none: a new random secret written 0600
   * (temp file, then a move), in a directory made 0700 when it does not exist yet.
   *
   * @throws IllegalArgumentException as {@link #read} for a file that exists
   */
  public static ParentSecret createIfAbsent(Path file) {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return read(file);
    }
    ParentSecret secret = ParentSecret.generate();
    try {
      OwnerOnlyFiles.write(file, (secret.hex() + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot create the parent secret file " + file + ": " + e, e);
    }
    return secret;
  }
}
