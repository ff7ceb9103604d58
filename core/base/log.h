// A minimal leveled logger for diagnostics on stderr (`-ldebug`, `--level=warn`).
//
// Messages print as "[DEBUG] text" with no timestamps, so test output stays
// deterministic. Results of goals never go through here (they go to stdout).
//
//   log::SetLevel(log::ParseLevel("debug"));
//   BRAID_LOG(kDebug) << "loaded " << n << " BUILD files";
#ifndef BRAID_CORE_BASE_LOG_H_
#define BRAID_CORE_BASE_LOG_H_

#include <iostream>
#include <sstream>
#include <string>

#include "absl/strings/string_view.h"

namespace braid::log {

enum class Level { kTrace = 0, kDebug = 1, kInfo = 2, kWarn = 3, kError = 4 };

/// "trace", "debug", "info", "warn", "error"; anything else is kInfo.
Level ParseLevel(absl::string_view name);
void SetLevel(Level level);
Level GetLevel();
inline bool Enabled(Level level) { return level >= GetLevel(); }

/// Collects one message and writes it to stderr when destroyed.
class Message {
 public:
  explicit Message(Level level) : level_(level) {}
  ~Message();
  template <typename T>
  Message& operator<<(const T& v) {
    stream_ << v;
    return *this;
  }

 private:
  Level level_;
  std::ostringstream stream_;
};

}  // namespace braid::log

#define BRAID_LOG(level)                                              \
  if (!::braid::log::Enabled(::braid::log::Level::level)) {           \
  } else                                                              \
    ::braid::log::Message(::braid::log::Level::level)

#endif  // BRAID_CORE_BASE_LOG_H_
