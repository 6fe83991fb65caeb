// Guest test: STL containers and algorithms: vector, deque, list, map, set, multimap,
// unordered_map (printed through a sorted view: bucket order is not portable), string operations,
// sort/stable_sort/partial_sort/nth_element, accumulate/transform/partition/unique, heaps.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <list>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace {

std::uint32_t g_seed = 2463534242u;
std::uint32_t Next() {
  g_seed ^= g_seed << 13;
  g_seed ^= g_seed >> 17;
  g_seed ^= g_seed << 5;
  return g_seed;
}

template <typename C>
void Print(const char* label, const C& c, std::size_t limit = 20) {
  std::printf("%s (%zu):", label, c.size());
  std::size_t n = 0;
  for (const auto& x : c) {
    if (n++ == limit) {
      std::printf(" ...");
      break;
    }
    std::printf(" %lld", static_cast<long long>(x));
  }
  std::printf("\n");
}

void Vectors() {
  std::printf("-- vector / algorithms\n");
  std::vector<int> v;
  for (int i = 0; i < 1000; ++i) v.push_back(static_cast<int>(Next() % 500) - 250);
  std::printf("sum %ld min %d max %d\n", std::accumulate(v.begin(), v.end(), 0L),
              *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()));
  std::vector<int> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  Print("sorted head", sorted);
  std::printf("binary_search 17: %d, lower_bound(0) at %ld, equal_range(5) size %ld\n",
              std::binary_search(sorted.begin(), sorted.end(), 17) ? 1 : 0,
              static_cast<long>(std::lower_bound(sorted.begin(), sorted.end(), 0) - sorted.begin()),
              static_cast<long>(std::equal_range(sorted.begin(), sorted.end(), 5).second -
                                std::equal_range(sorted.begin(), sorted.end(), 5).first));
  auto last = std::unique(sorted.begin(), sorted.end());
  sorted.erase(last, sorted.end());
  std::printf("unique values %zu\n", sorted.size());
  // stable_sort by |x| keeps the original order of equal keys: print indices to show it.
  std::vector<std::pair<int, int>> pairs;
  for (int i = 0; i < 40; ++i) pairs.emplace_back(v[i] % 5, i);
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::printf("stable:");
  for (const auto& p : pairs) std::printf(" %d/%d", p.first, p.second);
  std::printf("\n");
  std::vector<int> w = v;
  std::partial_sort(w.begin(), w.begin() + 10, w.end(), std::greater<int>());
  Print("top10", std::vector<int>(w.begin(), w.begin() + 10));
  w = v;
  std::nth_element(w.begin(), w.begin() + 500, w.end());
  std::printf("median %d\n", w[500]);
  auto mid = std::partition(w.begin(), w.end(), [](int x) { return x % 2 == 0; });
  std::printf("evens %ld\n", static_cast<long>(mid - w.begin()));
  std::vector<long> sq(v.size());
  std::transform(v.begin(), v.end(), sq.begin(), [](int x) { return 1L * x * x; });
  std::printf("sum of squares %ld inner product %ld\n", std::accumulate(sq.begin(), sq.end(), 0L),
              std::inner_product(v.begin(), v.begin() + 100, v.rbegin(), 0L));
  std::vector<int> heap(v.begin(), v.begin() + 50);
  std::make_heap(heap.begin(), heap.end());
  std::printf("heap pops:");
  for (int i = 0; i < 8; ++i) {
    std::pop_heap(heap.begin(), heap.end());
    std::printf(" %d", heap.back());
    heap.pop_back();
  }
  std::printf("\n");
  std::vector<int> perm = {1, 2, 3, 4};
  int perms = 0;
  do ++perms;
  while (std::next_permutation(perm.begin(), perm.end()));
  std::rotate(v.begin(), v.begin() + 3, v.begin() + 10);
  std::reverse(v.begin(), v.begin() + 10);
  Print("rotated+reversed", std::vector<int>(v.begin(), v.begin() + 10));
  std::printf("permutations %d count(0) %ld\n", perms,
              static_cast<long>(std::count(v.begin(), v.end(), 0)));
}

void Sequences() {
  std::printf("-- deque / list\n");
  std::deque<int> d;
  for (int i = 0; i < 300; ++i) {
    if (i % 3)
      d.push_back(i);
    else
      d.push_front(i);
    if (i % 7 == 0) d.pop_front();
  }
  Print("deque", d);
  std::list<int> l;
  for (int i = 0; i < 50; ++i) l.push_back(static_cast<int>(Next() % 100));
  l.sort();
  l.unique();
  l.remove_if([](int x) { return x % 3 == 0; });
  std::list<int> other = {5, 15, 25, 95};
  l.merge(other);
  l.reverse();
  Print("list", l, 50);
}

void Associative() {
  std::printf("-- map / set / multimap / unordered\n");
  std::map<std::string, int> counts;
  std::unordered_map<std::string, int> ucounts;
  const char* words[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};
  for (int i = 0; i < 500; ++i) {
    std::string w = words[Next() % 8];
    w += std::to_string(Next() % 4);
    ++counts[w];
    ucounts[w] += 2;
  }
  for (const auto& [k, v] : counts) std::printf("%s=%d ", k.c_str(), v);
  std::printf("\n");
  std::vector<std::pair<std::string, int>> view(ucounts.begin(), ucounts.end());
  std::sort(view.begin(), view.end());
  bool same = view.size() == counts.size();
  for (const auto& [k, v] : view) same = same && counts[k] * 2 == v;
  std::printf("unordered view matches map: %d (size %zu)\n", same ? 1 : 0, view.size());
  auto it = counts.lower_bound("delta");
  std::printf("lower_bound(delta) %s, upper_bound(eta9) %s\n", it->first.c_str(),
              counts.upper_bound("eta9")->first.c_str());
  std::set<int> s;
  std::unordered_set<int> us;
  for (int i = 0; i < 200; ++i) {
    int x = static_cast<int>(Next() % 1000);
    s.insert(x);
    us.insert(x);
  }
  for (int i = 0; i < 1000; i += 3) s.erase(i);
  Print("set", s);
  std::vector<int> usorted(us.begin(), us.end());
  std::sort(usorted.begin(), usorted.end());
  std::printf("unordered_set size %zu first %d last %d\n", usorted.size(), usorted.front(),
              usorted.back());
  std::multimap<int, std::string> mm;
  for (int i = 0; i < 20; ++i) mm.emplace(i % 4, "v" + std::to_string(i));
  auto range = mm.equal_range(2);
  std::printf("multimap[2]:");
  for (auto i = range.first; i != range.second; ++i) std::printf(" %s", i->second.c_str());
  std::printf("\n");
}

void Strings() {
  std::printf("-- std::string\n");
  std::string s = "The quick brown fox jumps over the lazy dog";
  std::printf("find fox %zu rfind the %zu find_first_of xyz %zu npos %d\n", s.find("fox"),
              s.rfind("the"), s.find_first_of("xyz"), s.find("cat") == std::string::npos);
  std::string t = s.substr(4, 11);
  t.replace(0, 5, "slow");
  t.insert(0, ">>");
  t.append(3, '!');
  t += std::to_string(-12345) + std::to_string(2.5);
  std::printf("%s (%zu)\n", t.c_str(), t.size());
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  });
  std::printf("%s compare %d\n", s.c_str(), s.compare("THE") > 0);
  std::string big;
  for (int i = 0; i < 1000; ++i) big += static_cast<char>('a' + i % 26);
  std::printf("big size %zu count(q) %ld stoi %d stol %ld stod %.3f\n", big.size(),
              static_cast<long>(std::count(big.begin(), big.end(), 'q')), std::stoi("  -42x"),
              std::stol("0x7f", nullptr, 16), std::stod("6.25e-1"));
  std::vector<std::string> parts;
  std::string csv = "a,bb,,ccc,d";
  std::size_t pos = 0;
  while (true) {
    std::size_t comma = csv.find(',', pos);
    parts.push_back(csv.substr(pos, comma - pos));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  std::sort(parts.begin(), parts.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  for (const auto& p : parts) std::printf("[%s]", p.c_str());
  std::printf("\n");
}

}  // namespace

int main() {
  Vectors();
  Sequences();
  Associative();
  Strings();
  return 0;
}
