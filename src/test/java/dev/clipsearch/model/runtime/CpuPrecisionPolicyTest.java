package dev.clipsearch.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clipsearch.model.ModelException;
import dev.clipsearch.model.runtime.ComputeDevice.Precision;
import org.junit.jupiter.api.Test;

/** Flags from /proc/cpuinfo decide which precisions run natively, what auto picks, and which requests are refused. */
class CpuPrecisionPolicyTest {
  /** Abridged /proc/cpuinfo of a 2-core Xeon VM with AMX (the flags line cut to the relevant part). */
  static final String XEON_AMX = """
      processor\t: 0
      vendor_id\t: GenuineIntel
      model name\t: Intel(R) Xeon(R) Processor
      flags\t\t: fpu sse2 avx2 avx512f avx512dq avx512bw avx512vl avx_vnni avx512_bf16 avx512_vnni amx_bf16 avx512_fp16 amx_tile amx_int8

      processor\t: 1
      model name\t: Intel(R) Xeon(R) Processor
      flags\t\t: fpu sse2 avx2
      """;
  static final String EPYC_AVX2 = """
      processor\t: 0
      vendor_id\t: AuthenticAMD
      model name\t: AMD EPYC 7B13
      flags\t\t: fpu sse2 fma avx2 bmi2 sha_ni
      """;
  static final String AVX512_BF16_ONLY = """
      model name\t: AMD EPYC 9B14
      flags\t\t: avx2 avx512f avx512_bf16 avx512_vnni
      """;

  @Test
  void parsesModelCoresAndTheFirstProcessorsFlags() {
    CpuFeatures cpu = CpuFeatures.parse(XEON_AMX, 2);
    assertEquals("Intel(R) Xeon(R) Processor", cpu.model());
    assertEquals(2, cpu.cores());
    assertTrue(cpu.has("amx_int8") && cpu.bf16Native() && cpu.int8Native());
    assertEquals(java.util.List.of(true, true, true, true, true, true), java.util.List.copyOf(cpu.reportedFlags().values()));
    assertEquals("Intel(R) Xeon(R) Processor, 2 cores, flags [avx2 avx512f avx512_bf16 avx512_vnni amx_bf16 amx_int8]",
        cpu.toString());
  }

  @Test
  void anUnreadableCpuinfoMeansNoFlagsSoFp32() {
    CpuFeatures cpu = CpuFeatures.parse("", 4);
    assertFalse(cpu.bf16Native() || cpu.int8Native());
    assertEquals(Precision.FP32, CpuPrecisionPolicy.choose(Precision.AUTO, cpu).precision());
  }

  @Test
  void autoPicksBf16WhereAmxRunsIt() {
    ComputeDevice d = CpuPrecisionPolicy.choose(Precision.AUTO, CpuFeatures.parse(XEON_AMX, 2));
    assertEquals(Precision.BF16, d.precision());
    assertTrue(d.precisionAuto());
    assertTrue(d.precisionReason().contains("amx_bf16"), d.precisionReason());
  }

  @Test
  void autoStaysFp32WithoutAmxAndSaysWhy() {
    ComputeDevice epyc = CpuPrecisionPolicy.choose(Precision.AUTO, CpuFeatures.parse(EPYC_AVX2, 2));
    assertEquals(Precision.FP32, epyc.precision());
    assertTrue(epyc.precisionReason().contains("emulated"), epyc.precisionReason());
    ComputeDevice bf16NoAmx = CpuPrecisionPolicy.choose(Precision.AUTO, CpuFeatures.parse(AVX512_BF16_ONLY, 2));
    assertEquals(Precision.FP32, bf16NoAmx.precision());
    assertTrue(bf16NoAmx.precisionReason().contains("--precision bf16"), bf16NoAmx.precisionReason());
  }

  @Test
  void explicitBf16OnACpuWithoutItIsRefusedNotEmulated() {
    ModelException e = assertThrows(ModelException.class,
        () -> CpuPrecisionPolicy.choose(Precision.BF16, CpuFeatures.parse(EPYC_AVX2, 2)));
    assertTrue(e.getMessage().contains("amx_bf16 or avx512_bf16") && e.getMessage().contains("AMD EPYC 7B13"),
        e.getMessage());
    assertEquals(Precision.BF16, CpuPrecisionPolicy.choose(Precision.BF16, CpuFeatures.parse(AVX512_BF16_ONLY, 2)).precision());
  }

  @Test
  void int8NeedsAvx2AndFp16IsCudaOnly() {
    assertEquals(Precision.INT8, CpuPrecisionPolicy.choose(Precision.INT8, CpuFeatures.parse(EPYC_AVX2, 2)).precision());
    assertThrows(ModelException.class, () -> CpuPrecisionPolicy.choose(Precision.INT8, CpuFeatures.parse("", 2)));
    assertThrows(ModelException.class, () -> CpuPrecisionPolicy.choose(Precision.FP16, CpuFeatures.parse(XEON_AMX, 2)));
  }

  @Test
  void threadsGoToThePoolThatDoesTheMatmulsUnlessSet() {
    assertEquals(new ThreadPlan(1, 2), ThreadPlan.of(Precision.FP32, 2, 0, 0));
    assertEquals(new ThreadPlan(2, 1), ThreadPlan.of(Precision.BF16, 2, 0, 0));
    assertEquals(new ThreadPlan(2, 2), ThreadPlan.of(Precision.INT8, 2, 0, 0));
    assertEquals(new ThreadPlan(3, 4), ThreadPlan.of(Precision.BF16, 2, 3, 4));
  }
}
