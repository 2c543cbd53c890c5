package dev.pinaivu.coordinator.nsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The device call itself only works in an enclave; here we check its plumbing and its errors. */
class NsmIoctlTest {
  @Test
  void theRequestNumber_isIowrOfType0x0aNumber0OverA32ByteStruct() {
    assertThat(NsmIoctl.NSM_IOCTL_RAW).isEqualTo(0xC0200A00L);
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void withoutTheDevice_itSaysThisIsNotAnEnclave() {
    NsmIoctl nsm = new NsmIoctl(Path.of("/nonexistent/nsm"));

    assertThatThrownBy(() -> nsm.exchange(NsmCodec.attestationRequest(new byte[32])))
        .isInstanceOf(NsmException.class)
        .hasMessageContaining("this is not a Nitro Enclave")
        .hasMessageContaining("--dev");
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void onADeviceThatIsNotTheNsm_theIoctlFailsWithItsErrno() {
    // /dev/null opens, then rejects the unknown ioctl (ENOTTY): JNA, open, ioctl, close all ran.
    NsmIoctl notNsm = new NsmIoctl(Path.of("/dev/null"));

    assertThatThrownBy(() -> notNsm.exchange(NsmCodec.attestationRequest(new byte[32])))
        .isInstanceOf(NsmException.class)
        .hasMessage("the NSM ioctl on /dev/null failed: errno 25");
  }

  @Test
  void anEmptyOrOversizedRequest_isRefusedBeforeTheDeviceIsOpened() {
    NsmIoctl nsm = new NsmIoctl(Path.of("/nonexistent/nsm"));

    assertThatThrownBy(() -> nsm.exchange(new byte[0])).hasMessageContaining("1..4096");
    assertThatThrownBy(() -> nsm.exchange(new byte[4097])).hasMessageContaining("1..4096");
  }
}
