// Tests of the generator itself: cases are reproducible from their seed, the profiles reach every
// form of the table, and every form's encoding is one Unicorn executes (so an encoder mistake
// shows here, independently of polyvm's decoder).
#include <gtest/gtest.h>

#include <set>

#include "harness.h"
#include "unicorn_runner.h"

namespace polyvm::diff {
namespace {

TEST(Generator, SameSeedSameCase) {
  for (const Profile& p : RandomProfiles()) {
    for (unsigned i = 0; i < 20; ++i) {
      uint64_t seed = CaseSeed(1, p.name, i);
      Case a = Generate(p, seed), b = Generate(p, seed);
      EXPECT_EQ(a.code, b.code) << p.name << " " << i;
      EXPECT_EQ(a.init, b.init) << p.name << " " << i;
      EXPECT_EQ(a.data, b.data) << p.name << " " << i;
      EXPECT_LE(a.code.size(), kCodeMax);
    }
  }
}

TEST(Generator, ProfilesReachEveryForm) {
  std::set<std::string_view> seen;
  std::vector<Profile> profiles = RandomProfiles();
  for (Profile& p : QemuOnlyProfiles()) {
    p.exclude.clear();  // qemu-ctzw: the form itself must be generatable
    profiles.push_back(p);
  }
  for (const Profile& p : profiles) {
    for (unsigned i = 0; i < 400; ++i) {
      for (const InsnInfo& in : Generate(p, CaseSeed(2, p.name, i)).insns) {
        if (in.form != nullptr) seen.insert(in.form->name);
      }
    }
  }
  for (const Form& f : AllForms()) EXPECT_TRUE(seen.count(f.name)) << f.name << " never generated";
}

TEST(Generator, EncodingsIdentifyAsTheirForm) {
  for (const Profile& p : RandomProfiles()) {
    for (unsigned i = 0; i < 200; ++i) {
      for (const InsnInfo& in : Generate(p, CaseSeed(4, p.name, i)).insns) {
        if (in.form == nullptr) continue;
        Identified id = Identify(in.word);
        ASSERT_EQ(id.form, in.form) << std::hex << in.word << " generated as " << in.form->name
                                    << ", identified as " << (id.form ? id.form->name : "nothing");
        if (in.len == 4) {
          if (in.form->rd != Rc::kNone) {
            EXPECT_EQ(id.rd, in.rd) << in.form->name;
          }
          if (in.form->rs1 != Rc::kNone) {
            EXPECT_EQ(id.rs1, in.rs1) << in.form->name;
          }
          if (in.form->rs2 != Rc::kNone) {
            EXPECT_EQ(id.rs2, in.rs2) << in.form->name;
          }
        }
      }
    }
  }
}

TEST(Generator, EveryFormRunsInUnicorn) {
  UnicornRunner unicorn;
  for (const Form& f : AllForms()) {
    if (f.ext == Ext::kB) continue;  // not in Unicorn: qemu_random_test.cpp checks them
    Profile p;
    p.name = "only";
    p.only_form = std::string(f.name);
    p.min_insns = p.max_insns = 4;
    p.illegal_prob = p.bad_frm_prob = p.ebreak_prob = p.reserved_prob = p.misaligned_prob = 0;
    for (unsigned i = 0; i < 8; ++i) {
      Case c = Generate(p, CaseSeed(3, p.only_form, i));
      Outcome o = unicorn.Run(c);
      EXPECT_EQ(o.stop, Stop::kEnd) << f.name << ": " << StopName(o.stop) << " at " << std::hex
                                    << o.pc << " (" << o.detail << ")";
    }
  }
}

}  // namespace
}  // namespace polyvm::diff
