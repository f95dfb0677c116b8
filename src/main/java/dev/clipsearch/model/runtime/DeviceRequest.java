package dev.clipsearch.model.runtime;

import java.util.Locale;

/**
 * What {@code --device} asks for, parsed once from the setting: {@code auto} (CUDA when LibTorch sees a device, else
 * the CPU), {@code cpu}, or {@code cuda[:N]}. {@link DeviceSelector} turns it into a {@link ComputeDevice} at start.
 */
public record DeviceRequest(Choice choice, int index) {
  public enum Choice { AUTO, CPU, CUDA }

  public static final DeviceRequest AUTO = new DeviceRequest(Choice.AUTO, 0);
  public static final DeviceRequest CPU = new DeviceRequest(Choice.CPU, 0);

  public DeviceRequest {
    if (index < 0 || (choice != Choice.CUDA && index != 0)) {
      throw new IllegalArgumentException("device index " + index + " is invalid for " + choice);
    }
  }

  /** @throws IllegalArgumentException for anything but auto, cpu, cuda and cuda:N */
  public static DeviceRequest parse(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (s.equals("auto")) {
      return AUTO;
    }
    if (s.equals("cpu")) {
      return CPU;
    }
    if (s.matches("cuda(:\\d{1,4})?")) {
      return new DeviceRequest(Choice.CUDA, s.length() > 4 ? Integer.parseInt(s.substring(5)) : 0);
    }
    throw new IllegalArgumentException("must be auto, cpu or cuda[:N], got '" + text + "'");
  }

  @Override
  public String toString() {
    return choice == Choice.CUDA ? "cuda:" + index : choice.name().toLowerCase(Locale.ROOT);
  }
}
