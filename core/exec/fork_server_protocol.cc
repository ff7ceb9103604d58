#include "core/exec/fork_server_protocol.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace braid::exec {
namespace {

void Field(std::string& out, absl::string_view value) {
  out.append(value.data(), value.size());
  out.push_back('\0');
}

// Reads fields one by one; every accessor fails once the packet is exhausted.
class Reader {
 public:
  explicit Reader(absl::string_view packet) {
    if (packet.empty() || packet.back() != '\0') {
      ok_ = false;
      return;
    }
    packet.remove_suffix(1);
    fields_ = absl::StrSplit(packet, '\0');
  }
  bool Next(std::string& out) {
    if (!ok_ || pos_ >= fields_.size()) return ok_ = false;
    out = std::string(fields_[pos_++]);
    return true;
  }
  bool Number(uint64_t& out) {
    std::string s;
    return Next(s) && (ok_ = absl::SimpleAtoi(s, &out));
  }
  bool Count(size_t& out) {
    uint64_t n = 0;
    if (!Number(n) || n > fields_.size()) return ok_ = false;
    out = static_cast<size_t>(n);
    return true;
  }
  bool done() const { return ok_ && pos_ == fields_.size(); }

 private:
  std::vector<absl::string_view> fields_;
  size_t pos_ = 0;
  bool ok_ = true;
};

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("malformed fork server ", what, " message"));
}

}  // namespace

std::string EncodeForkServerRun(uint64_t id, const ProcessSpec& spec, bool prepare) {
  std::string out;
  Field(out, prepare ? "PREPARE" : "RUN");
  Field(out, absl::StrCat(id));
  Field(out, spec.cwd);
  const SandboxSpec& sb = spec.sandbox;
  Field(out, sb.isolation == SandboxSpec::Isolation::kNamespaces ? "namespaces" : "none");
  Field(out, sb.writable_root);
  Field(out, sb.loopback_only_network ? "1" : "0");
  Field(out, absl::StrCat(sb.extra_writable_paths.size()));
  for (const std::string& p : sb.extra_writable_paths) Field(out, p);
  Field(out, absl::StrCat(spec.argv.size()));
  for (const std::string& a : spec.argv) Field(out, a);
  Field(out, absl::StrCat(spec.env.size()));
  for (const auto& [k, v] : spec.env) Field(out, absl::StrCat(k, "=", v));
  return out;
}

std::string EncodeForkServerKill(uint64_t id) {
  std::string out;
  Field(out, "KILL");
  Field(out, absl::StrCat(id));
  return out;
}

std::string EncodeForkServerReady() {
  std::string out;
  Field(out, "READY");
  Field(out, "0");
  return out;
}

std::string EncodeForkServerExit(uint64_t id, int wait_status) {
  std::string out;
  Field(out, "EXIT");
  Field(out, absl::StrCat(id));
  Field(out, absl::StrCat(wait_status));
  return out;
}

std::string EncodeForkServerReject(uint64_t id, absl::string_view reason) {
  std::string out;
  Field(out, "REJECT");
  Field(out, absl::StrCat(id));
  Field(out, reason);
  return out;
}

absl::StatusOr<ForkServerRun> DecodeForkServerRun(absl::string_view packet) {
  Reader r(packet);
  ForkServerRun run;
  std::string kind, isolation, loopback;
  size_t n = 0;
  if (!r.Next(kind) || (kind != "RUN" && kind != "PREPARE") || !r.Number(run.id) || !r.Next(run.cwd) ||
      !r.Next(isolation) || !r.Next(run.sandbox.writable_root) || !r.Next(loopback) ||
      !r.Count(n)) {
    return Malformed("RUN");
  }
  run.prepare = kind == "PREPARE";
  if (isolation == "namespaces") {
    run.sandbox.isolation = SandboxSpec::Isolation::kNamespaces;
  } else if (isolation != "none") {
    return Malformed("RUN");
  }
  if (loopback != "0" && loopback != "1") return Malformed("RUN");
  run.sandbox.loopback_only_network = loopback == "1";
  run.sandbox.extra_writable_paths.resize(n);
  for (std::string& p : run.sandbox.extra_writable_paths) {
    if (!r.Next(p)) return Malformed("RUN");
  }
  if (!r.Count(n) || n == 0) return Malformed("RUN");
  run.argv.resize(n);
  for (std::string& a : run.argv) {
    if (!r.Next(a)) return Malformed("RUN");
  }
  if (!r.Count(n)) return Malformed("RUN");
  run.env.resize(n);
  for (std::string& e : run.env) {
    if (!r.Next(e) || e.find('=') == std::string::npos) return Malformed("RUN");
  }
  if (!r.done()) return Malformed("RUN");
  return run;
}

absl::StatusOr<uint64_t> DecodeForkServerKill(absl::string_view packet) {
  Reader r(packet);
  std::string kind;
  uint64_t id = 0;
  if (!r.Next(kind) || kind != "KILL" || !r.Number(id) || !r.done()) return Malformed("KILL");
  return id;
}

absl::StatusOr<ForkServerReply> DecodeForkServerReply(absl::string_view packet) {
  Reader r(packet);
  ForkServerReply reply;
  std::string kind;
  if (!r.Next(kind) || !r.Number(reply.id)) return Malformed("reply");
  if (kind == "EXIT") {
    std::string status;
    if (!r.Next(status) || !absl::SimpleAtoi(status, &reply.wait_status) || !r.done()) {
      return Malformed("EXIT");
    }
    reply.kind = ForkServerReply::Kind::kExit;
  } else if (kind == "REJECT") {
    if (!r.Next(reply.reason) || !r.done()) return Malformed("REJECT");
    reply.kind = ForkServerReply::Kind::kReject;
  } else if (kind == "READY") {
    if (reply.id != 0 || !r.done()) return Malformed("READY");
    reply.kind = ForkServerReply::Kind::kReady;
  } else {
    return Malformed("reply");
  }
  return reply;
}

}  // namespace braid::exec
