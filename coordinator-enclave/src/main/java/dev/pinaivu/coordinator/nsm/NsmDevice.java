package dev.pinaivu.coordinator.nsm;

/**
 * One exchange with the Nitro Security Module: CBOR request bytes in, CBOR response bytes out
 * (aws-nitro-enclaves-nsm-api {@code nsm_process_request}). {@link NsmIoctl} is the real device.
 */
@FunctionalInterface
public interface NsmDevice {
  /**
   * @throws NsmException when the device cannot be reached or refuses the exchange
   */
  byte[] exchange(byte[] request);
}
