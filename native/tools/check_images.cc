// Sanitizer driver: runs the whole pipeline (both modes, two sizes) over the given image files, then, with
// --fuzz-seconds, feeds it mutated copies of them for that long. Built with ASan + UBSan by native/scripts/sanitize.sh;
// any memory error, leak or undefined behaviour aborts with a report, and the input that caused it is saved first.
// An ImageError is the expected outcome for a broken file; any other exception is a failure.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "clipimg/errors.h"
#include "clipimg/pipeline.h"
#include "mutator.h"

#ifdef CLIPIMG_SANITIZE
extern "C" void __sanitizer_set_death_callback(void (*callback)(void));
#endif

namespace {

std::vector<uint8_t> current;  // the input under test, saved if a sanitizer kills the process
std::string crash_file = "clipimg-crash.bin";

void save_current() {
  std::ofstream out(crash_file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(current.data()), static_cast<std::streamsize>(current.size()));
  std::fprintf(stderr, "input saved to %s (%zu bytes)\n", crash_file.c_str(), current.size());
}

std::vector<uint8_t> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs one input; returns false on anything but success or an ImageError.
bool run(const std::vector<uint8_t>& data, int size, bool fast, int64_t max_pixels, bool* decoded) {
  current = data;
  clipimg::Transform t;
  t.size = size;
  t.fast = fast;
  t.decode.max_pixels = max_pixels;
  std::vector<float> out(3 * static_cast<size_t>(size) * size);
  try {
    clipimg::preprocess(data.data(), data.size(), t, out.data());
  } catch (const clipimg::ImageError& e) {
    if (e.kind() == clipimg::ErrorKind::kInternal) {
      std::fprintf(stderr, "internal error: %s\n", e.what());
      return false;
    }
    *decoded = false;
    return true;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "unexpected exception: %s\n", e.what());
    return false;
  }
  for (float v : out) {
    if (!std::isfinite(v)) {
      std::fprintf(stderr, "non-finite output\n");
      return false;
    }
  }
  *decoded = true;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  double fuzz_seconds = 0;
  uint64_t seed = 1;
  std::vector<std::vector<uint8_t>> corpus;
  std::vector<const char*> names;
  for (int i = 1; i < argc; i++) {
    if (std::strcmp(argv[i], "--fuzz-seconds") == 0 && i + 1 < argc) {
      fuzz_seconds = std::atof(argv[++i]);
    } else if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--crash-file") == 0 && i + 1 < argc) {
      crash_file = argv[++i];
    } else {
      corpus.push_back(read_file(argv[i]));
      names.push_back(argv[i]);
    }
  }
#ifdef CLIPIMG_SANITIZE
  __sanitizer_set_death_callback(save_current);
#endif
  int decoded_count = 0;
  for (size_t f = 0; f < corpus.size(); f++) {
    for (int size : {224, 32}) {
      for (bool fast : {false, true}) {
        bool decoded = false;
        if (!run(corpus[f], size, fast, 89478485, &decoded)) {
          std::fprintf(stderr, "FAILED on %s (size %d, fast %d)\n", names[f], size, fast);
          save_current();
          return 1;
        }
        decoded_count += decoded;
      }
    }
  }
  std::printf("corpus: %zu files, %d of %zu runs decoded\n", corpus.size(), decoded_count, corpus.size() * 4);
  if (fuzz_seconds <= 0 || corpus.empty()) return 0;

  std::mt19937_64 rng(seed);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(fuzz_seconds);
  long runs = 0, accepted = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::vector<uint8_t>& base = corpus[rng() % corpus.size()];
    const std::vector<uint8_t>& other = corpus[rng() % corpus.size()];
    const std::vector<uint8_t> input = clipimg_tools::mutate(base, other, rng);
    bool decoded = false;
    // A smaller pixel limit keeps each iteration fast (a mutated header can declare a huge image).
    if (!run(input, rng() % 2 ? 32 : 224, rng() % 2 == 0, 4 << 20, &decoded)) {
      save_current();
      return 1;
    }
    runs++;
    accepted += decoded;
  }
  std::printf("fuzz: %ld mutated inputs in %.0f s (seed %llu), %ld decoded, no failure\n", runs, fuzz_seconds,
              static_cast<unsigned long long>(seed), accepted);
  return 0;
}
