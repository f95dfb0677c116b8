// A small structure-unaware mutator for the standalone fuzz loop (the gcc build has no libFuzzer): byte and bit
// edits, interesting values, truncation, insertion, deletion, duplication and splicing, as libFuzzer does.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace clipimg_tools {

std::vector<uint8_t> mutate(const std::vector<uint8_t>& input, const std::vector<uint8_t>& other, std::mt19937_64& rng);

}  // namespace clipimg_tools
