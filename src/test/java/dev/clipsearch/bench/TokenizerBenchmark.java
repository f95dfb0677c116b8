package dev.clipsearch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clipsearch.model.text.Tokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Time to tokenize one query (µs), on the texts of {@code fixtures/tokens/bench_queries.jsonl}; the same texts
 * {@code models/bench_tokenizer.py} times open_clip's Python tokenizer on, so the two can be compared.
 *
 * <p>Groups: "typical" (12 short English queries, the plain-ASCII path), "multilingual" (12 queries with accents,
 * CJK, Cyrillic, Arabic, Greek, emoji, an HTML entity, curly quotes, full-width letters, mojibake: the full ftfy
 * path), "long" (2 paragraphs cut at 77 tokens). Each is measured warm: JIT-compiled and the BPE piece cache
 * filled, as in a server. {@code loadCold} is the first {@code Tokenizer.load()} in a fresh JVM (reading and
 * indexing the vocabulary, class loading included).
 *
 * <p>Run (after {@code mvn test-compile}):
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.clipsearch.bench.TokenizerBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenizerBenchmark {
  static final String QUERIES = "/fixtures/tokens/bench_queries.jsonl";
  private static final int CONTEXT = 77;

  /** The tokenizer and the texts; a separate state so that {@link #loadCold} finds nothing loaded. */
  @State(Scope.Benchmark)
  public static class Queries {
    final Tokenizer tokenizer = Tokenizer.load();
    final String[] typical = group("typical");
    final String[] multilingual = group("multilingual");
    final String[] longTexts = group("long");
  }

  @Benchmark
  @OperationsPerInvocation(12)
  public void typicalQuery(Queries q, Blackhole out) {
    for (String text : q.typical) out.consume(q.tokenizer.encode(text, CONTEXT));
  }

  @Benchmark
  @OperationsPerInvocation(12)
  public void multilingualQuery(Queries q, Blackhole out) {
    for (String text : q.multilingual) out.consume(q.tokenizer.encode(text, CONTEXT));
  }

  @Benchmark
  @OperationsPerInvocation(2)
  public void longTextCut(Queries q, Blackhole out) {
    for (String text : q.longTexts) out.consume(q.tokenizer.encode(text, CONTEXT));
  }

  /** The first load in a fresh JVM: one shot per fork. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  @Fork(5)
  public Tokenizer loadCold() {
    return Tokenizer.load();
  }

  static String[] group(String name) {
    List<String> texts = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    try (InputStream in = TokenizerBenchmark.class.getResourceAsStream(QUERIES)) {
      if (in == null) throw new IllegalStateException("missing " + QUERIES);
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        JsonNode node = json.readTree(line);
        if (node.get("group").asText().equals(name)) texts.add(node.get("text").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return texts.toArray(new String[0]);
  }

  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(TokenizerBenchmark.class.getSimpleName()).build()).run();
  }
}
