// Host atomic operations on guest memory: the engines share them (engine/common/host_atomics.h).
#pragma once

#include "polyvm/engine/common/host_atomics.h"

namespace polyvm::engine::interp {

using engine::HostCas;
using engine::HostFullFence;
using engine::HostRmw;
using engine::RmwResult;
using ir::sem::U128;

}  // namespace polyvm::engine::interp
