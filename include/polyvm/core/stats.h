// Named counters that engines and runtimes report for --stats.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace polyvm::core {

struct Stats {
  struct Entry {
    std::string name;   // dotted: "interp.blocks_translated"
    double value;
    std::string unit;   // "", "ns", "bytes", "%"
  };
  std::vector<Entry> entries;

  void Add(std::string name, double value, std::string unit = "") {
    entries.push_back({std::move(name), value, std::move(unit)});
  }
};

}  // namespace polyvm::core
