// Registration of per-vCPU data with the engine that owns it.
#include "thread_data.h"

#include "engine_state.h"

namespace polyvm::engine::interp {

ThreadData::ThreadData(std::shared_ptr<detail::EngineState> e) : engine(std::move(e)) {
  FlushJumpCache();
  engine->Register(this);
}

ThreadData::~ThreadData() { engine->Unregister(this); }

}  // namespace polyvm::engine::interp
