package dev.clipsearch.model.runtime;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the LibTorch natives once per process and sets the thread pools. The only class that touches process-wide
 * LibTorch state; everything else asks it for {@link #init(int, int)} first.
 */
final class TorchRuntime {
  private static final Logger log = LoggerFactory.getLogger(TorchRuntime.class);
  private static boolean loaded;
  private static int torchRequested;
  private static int blasRequested;

  private TorchRuntime() {}

  /**
   * Loads the natives (first call only) and remembers the requested pool sizes for {@link #usePrecision}.
   *
   * @param torchThreads LibTorch intra-op threads, 0 = the precision's default ({@link ThreadPlan})
   * @param blasThreads OpenBLAS threads, 0 = the precision's default
   */
  static synchronized void init(int torchThreads, int blasThreads) {
    if (!loaded) {
      load();
    }
    torchRequested = torchThreads;
    blasRequested = blasThreads;
  }

  /** Sizes both pools for the precision the model runs in. */
  static synchronized void usePrecision(ComputeDevice.Precision precision) {
    applyThreads(ThreadPlan.of(precision, Runtime.getRuntime().availableProcessors(), torchRequested, blasRequested));
  }

  private static void load() {
    long start = System.nanoTime();
    try {
      // With an empty JavaCPP cache the 14 KB libtorch.so shim is dlopen'ed before libtorch_cpu.so is extracted, and
      // ld.so then picks up Debian's libtorch_cpu.so 1.13 if python3-torch is installed: two torch versions in one
      // process, SIGSEGV. Extracting libtorch_cpu.so first makes $ORIGIN resolve to ours.
      Loader.cacheResource("/org/bytedeco/pytorch/" + Loader.getPlatform() + "/libtorch_cpu.so");
    } catch (Exception e) {
      log.debug("could not pre-extract libtorch_cpu.so (GPU build or custom cache): {}", e.toString());
    }
    Loader.load(torch.class);
    torch.set_num_interop_threads(1);
    loaded = true;
    warnIfPoolsSpin(System.getenv());
    log.info("LibTorch loaded in {} ms (ATen CPU capability {}, CUDA available: {})",
        (System.nanoTime() - start) / 1_000_000, torch.get_cpu_capability().getString(), torch.cuda_is_available());
  }

  /**
   * LibTorch's fp32 matmuls run in OpenBLAS, whose pthread pool ignores {@code torch.set_num_threads}; with both pools
   * at their defaults they oversubscribe a small box and spin, 10-15x slower on a 2-core box.
   * oneDNN (bf16) and FBGEMM (int8) run on the torch pool instead; {@link ThreadPlan} sizes both per precision.
   * Process-wide: the last call wins.
   */
  private static void applyThreads(ThreadPlan threads) {
    torch.set_num_threads(threads.torchThreads());
    org.bytedeco.openblas.global.openblas.blas_set_num_threads(threads.blasThreads());
    log.info("threads: {}", threads);
  }

  /**
   * Idle OpenMP and OpenBLAS workers spin for a while after each call. Between the small GEMMs of a cheap model that
   * steals the cores the image decoders need (ingest with the test model: 177 vs 225 images/s on 2 cores). Both
   * libraries read their setting from the environment when they load, so only a launcher can set it: run.sh, the
   * Dockerfile and the test and bench launchers set OMP_WAIT_POLICY=PASSIVE and OPENBLAS_THREAD_TIMEOUT=20 (2^20
   * cycles, about 0.3 ms, instead of 2^28; shorter timeouts slowed ViT-B/32's image tower by up to 17 %).
   */
  static void warnIfPoolsSpin(java.util.Map<String, String> env) {
    if (!"PASSIVE".equalsIgnoreCase(env.getOrDefault("OMP_WAIT_POLICY", ""))
        || !env.containsKey("OPENBLAS_THREAD_TIMEOUT")) {
      log.warn("OMP_WAIT_POLICY=PASSIVE and OPENBLAS_THREAD_TIMEOUT=20 are not both set: idle thread pools will spin "
          + "and slow image decoding; start the JVM as src/scripts/run.sh does");
    }
  }
}
