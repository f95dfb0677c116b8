package dev.clipsearch.model.runtime;

import org.bytedeco.javacpp.Pointer;

/**
 * What JavaCPP knows of native memory, for /metrics: the bytes its deallocators still own (tensors and buffers not yet
 * freed) and how many pointers. A count that climbs under steady load is a native leak; RSS alone cannot tell that
 * from the allocator keeping freed pages.
 */
public final class NativeMemory {
  private NativeMemory() {}

  /** Bytes allocated through JavaCPP and not yet deallocated. */
  public static long trackedBytes() {
    return Pointer.totalBytes();
  }

  /** JavaCPP pointers with a deallocator not yet run. */
  public static long trackedPointers() {
    return Pointer.totalCount();
  }

  /** The process's physical memory as JavaCPP measures it (its own RSS reading, which its limits compare against). */
  public static long physicalBytes() {
    return Pointer.physicalBytes();
  }
}
