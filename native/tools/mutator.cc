#include "mutator.h"

#include <algorithm>

namespace clipimg_tools {
namespace {

size_t pick(std::mt19937_64& rng, size_t n) {
  return n == 0 ? 0 : static_cast<size_t>(rng() % n);
}

// Values that cross size and sign boundaries, where header parsers tend to go wrong.
constexpr uint32_t kInteresting[] = {0,      1,      0x7F,    0x80,       0xFF,        0x100,       0x7FFF,
                                     0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000u, 0xFFFFFFFFu, 16,
                                     32,     64,     255,     256,        4096};

void mutate_once(std::vector<uint8_t>& d, const std::vector<uint8_t>& other, std::mt19937_64& rng) {
  switch (rng() % 9) {
    case 0:  // flip a bit
      if (!d.empty()) d[pick(rng, d.size())] ^= static_cast<uint8_t>(1u << (rng() % 8));
      break;
    case 1:  // random byte
      if (!d.empty()) d[pick(rng, d.size())] = static_cast<uint8_t>(rng());
      break;
    case 2: {  // interesting value, 1, 2 or 4 bytes, either endianness
      if (d.size() < 4) break;
      const uint32_t v = kInteresting[pick(rng, sizeof kInteresting / sizeof kInteresting[0])];
      const size_t at = pick(rng, d.size() - 3);
      const int width = 1 << (rng() % 3);
      const bool big = rng() % 2 == 0;
      for (int i = 0; i < width; i++) d[at + i] = static_cast<uint8_t>(v >> (8 * (big ? width - 1 - i : i)));
      break;
    }
    case 3:  // truncate
      d.resize(pick(rng, d.size() + 1));
      break;
    case 4: {  // insert random bytes
      const size_t at = pick(rng, d.size() + 1);
      std::vector<uint8_t> bytes(1 + rng() % 16);
      for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
      d.insert(d.begin() + at, bytes.begin(), bytes.end());
      break;
    }
    case 5: {  // delete a range
      if (d.empty()) break;
      const size_t at = pick(rng, d.size());
      const size_t n = std::min(d.size() - at, 1 + pick(rng, 64));
      d.erase(d.begin() + at, d.begin() + at + n);
      break;
    }
    case 6: {  // duplicate a range (repeated chunks, markers, scans)
      if (d.empty() || d.size() > (1u << 22)) break;
      const size_t at = pick(rng, d.size());
      const size_t n = std::min(d.size() - at, 1 + pick(rng, 256));
      std::vector<uint8_t> copy(d.begin() + at, d.begin() + at + n);
      d.insert(d.begin() + pick(rng, d.size() + 1), copy.begin(), copy.end());
      break;
    }
    case 7: {  // splice: a range of another corpus file over this one
      if (other.empty() || d.empty()) break;
      const size_t from = pick(rng, other.size());
      const size_t n = std::min(other.size() - from, 1 + pick(rng, 512));
      const size_t at = pick(rng, d.size());
      d.resize(std::max(d.size(), at + n));
      std::copy(other.begin() + from, other.begin() + from + n, d.begin() + at);
      break;
    }
    default:  // small arithmetic on a byte (lengths off by a few)
      if (!d.empty()) d[pick(rng, d.size())] += static_cast<uint8_t>(static_cast<int>(rng() % 17) - 8);
      break;
  }
}

}  // namespace

std::vector<uint8_t> mutate(const std::vector<uint8_t>& input, const std::vector<uint8_t>& other,
                            std::mt19937_64& rng) {
  std::vector<uint8_t> d = input;
  const int edits = 1 + static_cast<int>(rng() % 6);
  for (int i = 0; i < edits; i++) mutate_once(d, other, rng);
  return d;
}

}  // namespace clipimg_tools
