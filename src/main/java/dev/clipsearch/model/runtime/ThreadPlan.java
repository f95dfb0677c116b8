package dev.clipsearch.model.runtime;

import dev.clipsearch.model.runtime.ComputeDevice.Precision;

/**
 * LibTorch intra-op (OpenMP) and OpenBLAS pool sizes for one precision; 0 in a request means "the default for the
 * precision". The two pools take turns op by op, and each spins briefly after its work (OMP_WAIT_POLICY=PASSIVE and
 * OPENBLAS_THREAD_TIMEOUT=20 keep that short), so the pool that does the matmuls gets the cores:
 * <ul>
 *   <li>fp32: matmuls in OpenBLAS (cores), everything else in 1 torch thread;</li>
 *   <li>bf16: matmuls in oneDNN, which runs on the OpenMP pool (cores); OpenBLAS 1, it has nothing left to do;</li>
 *   <li>int8: quantised Linear layers in FBGEMM on the OpenMP pool (cores); attention's fp32 matmuls stay in OpenBLAS
 *   (cores).</li>
 * </ul>
 */
public record ThreadPlan(int torchThreads, int blasThreads) {
  public static ThreadPlan of(Precision precision, int cores, int torchRequested, int blasRequested) {
    int c = Math.max(1, cores);
    int torch = precision == Precision.FP32 ? 1 : c;
    int blas = precision == Precision.BF16 ? 1 : c;
    return new ThreadPlan(torchRequested > 0 ? torchRequested : torch, blasRequested > 0 ? blasRequested : blas);
  }

  @Override
  public String toString() {
    return "torch " + torchThreads + ", OpenBLAS " + blasThreads;
  }
}
