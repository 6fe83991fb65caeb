// Per-vCPU data registration (see thread_data.h).
#include "thread_data.h"

#include "jit_state.h"
#include "system_run.h"

namespace polyvm::engine::jit {

ThreadData::ThreadData(std::shared_ptr<detail::JitState> e) : engine(std::move(e)) {
  FlushJumpCache();
  engine->Register(this);
}

ThreadData::~ThreadData() { engine->Unregister(this); }

}  // namespace polyvm::engine::jit
