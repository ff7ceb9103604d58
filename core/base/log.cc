#include "core/base/log.h"

#include <atomic>

namespace braid::log {

namespace {
std::atomic<Level> g_level{Level::kInfo};
const char* Name(Level level) {
  switch (level) {
    case Level::kTrace: return "TRACE";
    case Level::kDebug: return "DEBUG";
    case Level::kInfo: return "INFO";
    case Level::kWarn: return "WARN";
    case Level::kError: return "ERROR";
  }
  return "INFO";
}
}  // namespace

Level ParseLevel(absl::string_view name) {
  if (name == "trace") return Level::kTrace;
  if (name == "debug") return Level::kDebug;
  if (name == "warn") return Level::kWarn;
  if (name == "error") return Level::kError;
  return Level::kInfo;
}

void SetLevel(Level level) { g_level.store(level); }
Level GetLevel() { return g_level.load(); }

Message::~Message() {
  stream_ << "\n";
  std::cerr << "[" << Name(level_) << "] " << stream_.str();
}

}  // namespace braid::log
