// The system configuration Gandalf was built for (defined per system in config_instance.cpp
// from the generated gandalf_config.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include "gandalf/core/config_types.hpp"

namespace gandalf::core {

extern const config::System& system_config;
extern const config::Partition* const partition_configs;
extern const std::size_t partition_config_count;
extern const config::Channel* const channel_configs;  // channel_config_count entries
extern const std::size_t channel_config_count;
extern std::uint8_t image_store[];
extern const std::uint32_t image_store_size;
extern std::uint8_t dump_store[];  // crash dumps' console tails and memory copies (dump.hpp)
extern const std::uint32_t dump_store_size;

}  // namespace gandalf::core
