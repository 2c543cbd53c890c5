package dev.pinaivu.core.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates and tightens files only their owner may use: files 0600, directories 0700, whatever the
 * umask. The one place the modules make key, token, secret and database files.
 */
public final class OwnerOnlyFiles {
  /** Group's and others' permissions: none of them may be set on an owner-only file. */
  public static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private static final FileAttribute<Set<PosixFilePermission>> FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private OwnerOnlyFiles() {}

  /**
   * Creates {@code dir} and its missing parents 0700. Directories that exist keep their mode: a
   * parent such as the home directory is not ours to change.
   */
  public static void createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    if (absolute.getParent() != null) {
      createDirectories(absolute.getParent());
    }
    try {
      Files.createDirectory(absolute, DIRECTORY);
    } catch (FileAlreadyExistsException e) {
      // made meanwhile by someone else: its mode is theirs
    }
  }

  /** Creates {@code file} empty and 0600 unless it exists; returns whether it made it. */
  public static boolean createFile(Path file) throws IOException {
    try {
      Files.createFile(file, FILE);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    }
  }

  /**
   * Creates {@code file} 0600 holding {@code content} unless it exists, as one step: the content is
   * written to a private temporary file first and linked into place, so a reader never sees it half
   * written and two processes racing to create it leave exactly one of theirs.
   *
   * @return whether this call made it
   */
  public static boolean createWith(Path file, byte[] content) throws IOException {
    Path target = file.toAbsolutePath();
    createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".new", FILE);
    try {
      Files.write(temp, content);
      Files.createLink(target, temp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Writes {@code content} to {@code file}, replacing it whole: into a 0600 temporary file beside
   * it, then an atomic move, so no reader ever sees half of it or a moment of a wider mode.
   */
  public static void write(Path file, byte[] content) throws IOException {
    Path target = file.toAbsolutePath();
    createDirectories(target.getParent());
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(temp, FILE);
    try {
      Files.write(temp, content);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Whether group or others hold any permission on {@code path} (not following a link). */
  public static boolean isOpenToOthers(Path path) throws IOException {
    Set<PosixFilePermission> open = EnumSet.copyOf(OTHERS);
    open.retainAll(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    return !open.isEmpty();
  }

  /**
   * Takes group's and others' permissions off {@code path}, keeping the owner's; a link is left
   * alone. Returns whether anything changed.
   */
  public static boolean tighten(Path path) throws IOException {
    if (Files.isSymbolicLink(path) || !isOpenToOthers(path)) {
      return false;
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    mode.removeAll(OTHERS);
    Files.setPosixFilePermissions(path, mode);
    return true;
  }
}
