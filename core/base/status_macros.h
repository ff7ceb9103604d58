// Early-return helpers for absl::Status / absl::StatusOr.
//
//   BRAID_RETURN_IF_ERROR(DoThing());
//   BRAID_ASSIGN_OR_RETURN(auto graph, workspace.Graph());
#ifndef BRAID_CORE_BASE_STATUS_MACROS_H_
#define BRAID_CORE_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define BRAID_RETURN_IF_ERROR(expr)          \
  do {                                       \
    const absl::Status braid_status_ = (expr); \
    if (!braid_status_.ok()) return braid_status_; \
  } while (0)

#define BRAID_STATUS_CONCAT_INNER_(a, b) a##b
#define BRAID_STATUS_CONCAT_(a, b) BRAID_STATUS_CONCAT_INNER_(a, b)

#define BRAID_ASSIGN_OR_RETURN(lhs, expr) \
  BRAID_ASSIGN_OR_RETURN_IMPL_(BRAID_STATUS_CONCAT_(braid_statusor_, __LINE__), lhs, expr)

#define BRAID_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                 \
  if (!statusor.ok()) return statusor.status();           \
  lhs = *std::move(statusor)

#endif  // BRAID_CORE_BASE_STATUS_MACROS_H_
