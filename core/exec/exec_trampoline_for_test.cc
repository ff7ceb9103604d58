// The trampoline dispatch exactly as braid's main() does it, for exec_test.
#include <string.h>

#include <cstdio>

#include "core/exec/trampoline.h"

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], braid::exec::kSandboxTrampolineArg) == 0) {
    return braid::exec::RunSandboxTrampoline(argc, argv);
  }
  std::fprintf(stderr, "usage: %s %s ... -- ARGV...\n", argv[0],
               braid::exec::kSandboxTrampolineArg);
  return 2;
}
