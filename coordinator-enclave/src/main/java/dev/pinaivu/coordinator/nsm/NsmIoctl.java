package dev.pinaivu.coordinator.nsm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The real NSM: {@code ioctl(fd, NSM_IOCTL_RAW, struct nsm_raw *)} on {@code /dev/nsm} through JNA
 * and libc. {@code struct nsm_raw} is two {@code struct nsm_iovec {__u64 addr; __u64 len;}}, the
 * request then the response; the driver writes the response length back into the second {@code len}
 * (Linux {@code include/uapi/linux/nsm.h}; aws-nitro-enclaves-nsm-api {@code src/driver/mod.rs}).
 * Only works inside a Nitro Enclave, as root.
 */
public final class NsmIoctl implements NsmDevice {
  public static final Path DEVICE = Path.of("/dev/nsm");

  /** {@code _IOWR(0x0A, 0, struct nsm_raw)}: read-write, 32-byte argument, type 0x0A, number 0. */
  static final long NSM_IOCTL_RAW = readWriteRequest(0x0A, 0, 32);

  private static final int O_RDWR = 2;
  private static final int ENOENT = 2;
  private static final int EPERM = 1;
  private static final int EACCES = 13;
  private static final int EMSGSIZE = 90;

  private final Path device;

  public NsmIoctl() {
    this(DEVICE);
  }

  /** Another device path: tests point it at files that are not the NSM. */
  NsmIoctl(Path device) {
    this.device = Objects.requireNonNull(device, "device");
  }

  /** Linux's generic {@code _IOC(_IOC_READ|_IOC_WRITE, type, nr, size)} (x86-64 and arm64). */
  static long readWriteRequest(int type, int number, int size) {
    long readWrite = 3L;
    return (readWrite << 30) | ((long) size << 16) | ((long) type << 8) | number;
  }

  @Override
  public byte[] exchange(byte[] request) {
    Objects.requireNonNull(request, "request");
    if (request.length == 0 || request.length > NsmCodec.REQUEST_MAX_BYTES) {
      throw new NsmException("an NSM request is 1.." + NsmCodec.REQUEST_MAX_BYTES + " bytes");
    }
    LibC libc = LibC.load();
    int fd = open(libc);
    try (Memory in = new Memory(request.length);
        Memory out = new Memory(NsmCodec.RESPONSE_MAX_BYTES);
        Memory message = new Memory(32)) {
      in.write(0, request, 0, request.length);
      out.clear();
      message.setLong(0, Pointer.nativeValue(in));
      message.setLong(8, request.length);
      message.setLong(16, Pointer.nativeValue(out));
      message.setLong(24, NsmCodec.RESPONSE_MAX_BYTES);
      try {
        libc.ioctl(fd, new NativeLong(NSM_IOCTL_RAW), message);
      } catch (LastErrorException e) {
        throw new NsmException(ioctlFailure(e.getErrorCode()), e);
      }
      long length = message.getLong(24);
      if (length <= 0 || length > NsmCodec.RESPONSE_MAX_BYTES) {
        throw new NsmException("the NSM returned a response of " + length + " bytes");
      }
      return out.getByteArray(0, (int) length);
    } finally {
      closeQuietly(libc, fd);
    }
  }

  private int open(LibC libc) {
    try {
      return libc.open(device.toString(), O_RDWR);
    } catch (LastErrorException e) {
      throw new NsmException(openFailure(e.getErrorCode()), e);
    }
  }

  private String openFailure(int errno) {
    return switch (errno) {
      case ENOENT -> "no " + device + ": this is not a Nitro Enclave (use --dev to run locally)";
      case EPERM, EACCES -> "cannot open " + device + ": the coordinator must run as root";
      default -> "cannot open " + device + ": errno " + errno;
    };
  }

  private String ioctlFailure(int errno) {
    return switch (errno) {
      case EMSGSIZE -> "the NSM refused the request as too large";
      case EPERM, EACCES -> "the NSM ioctl needs CAP_SYS_ADMIN: run the coordinator as root";
      default -> "the NSM ioctl on " + device + " failed: errno " + errno;
    };
  }

  private static void closeQuietly(LibC libc, int fd) {
    try {
      libc.close(fd);
    } catch (LastErrorException e) {
      // nothing was written through this descriptor; a failed close loses nothing
    }
  }

  @Override
  public String toString() {
    return "NsmIoctl[" + device + "]";
  }

  /** The three libc calls, declared with the errno they may set. */
  interface LibC extends Library {
    int open(String path, int flags) throws LastErrorException;

    int ioctl(int fd, NativeLong request, Pointer argument) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    static LibC load() {
      return Holder.INSTANCE;
    }

    /** Loaded on first use, so merely building an {@link NsmIoctl} needs no native code. */
    final class Holder {
      static final LibC INSTANCE = Native.load("c", LibC.class);

      private Holder() {}
    }
  }
}
