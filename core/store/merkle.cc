#include "core/store/merkle.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace braid::store {
namespace {

// Deep enough for any real tree, shallow enough that recursion is safe.
constexpr int kMaxDepth = 256;

struct DirNode {
  std::map<std::string, FileEntry> files;  // by name; std::map orders bytes as REAPI wants
  std::map<std::string, DirNode> dirs;
};

bool IsValidName(absl::string_view name) {
  return !name.empty() && name != "." && name != ".." &&
         name.find('/') == absl::string_view::npos && name.find('\0') == absl::string_view::npos;
}

absl::Status BadPath(const std::string& path, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("input path '", path, "': ", why));
}

absl::Status Insert(DirNode& root, const FileEntry& entry) {
  if (!entry.digest.IsValid()) {
    return BadPath(entry.path, absl::StrCat("invalid digest '", entry.digest.ToString(), "'"));
  }
  std::vector<std::string> parts = absl::StrSplit(entry.path, '/');
  if (static_cast<int>(parts.size()) > kMaxDepth) return BadPath(entry.path, "too deep");
  for (const std::string& part : parts) {
    if (!IsValidName(part)) {
      return BadPath(entry.path,
                     "must be relative, with no empty, '.' or '..' segments");
    }
  }
  DirNode* node = &root;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (node->files.count(parts[i])) {
      return BadPath(entry.path, absl::StrCat("'", absl::StrJoin(parts.begin(), parts.begin() + i + 1, "/"),
                                              "' is both a file and a directory"));
    }
    node = &node->dirs[parts[i]];
  }
  const std::string& name = parts.back();
  if (node->dirs.count(name)) return BadPath(entry.path, "is both a file and a directory");
  auto [it, inserted] = node->files.emplace(name, entry);
  if (!inserted && !(it->second == entry)) {
    return BadPath(entry.path, "listed twice with different content or mode");
  }
  return absl::OkStatus();
}

Digest Encode(const DirNode& node, std::map<Digest, std::string>* out) {
  reapi::Directory dir;
  for (const auto& [name, entry] : node.files) {
    reapi::FileNode* f = dir.add_files();
    f->set_name(name);
    *f->mutable_digest() = ToProto(entry.digest);
    f->set_is_executable(entry.is_executable);
  }
  for (const auto& [name, sub] : node.dirs) {
    reapi::DirectoryNode* d = dir.add_directories();
    d->set_name(name);
    *d->mutable_digest() = ToProto(Encode(sub, out));
  }
  std::string bytes = SerializeDeterministic(dir);
  Digest digest = DigestOf(bytes);
  out->emplace(digest, std::move(bytes));
  return digest;
}

// The fast builder: sorts the entries so each directory's are contiguous, then encodes each
// Directory by hand (byte-identical to SerializeDeterministic: fields in number order,
// proto3 defaults omitted; merkle_test checks it against protobuf). Any problem (bad path,
// conflict) sends BuildMerkleTree to the Insert/Encode path above, which names the problem
// exactly as it always has; both accept and reject the same inputs.

// '/' sorts before every other byte: a directory's entries are contiguous, and at each level
// names come in byte order (REAPI's) for files and for subdirectories. A file "a" comes right
// before the entries of a directory "a", which makes that conflict easy to see.
bool PathLess(const FileEntry* a, const FileEntry* b) {
  const std::string& x = a->path;
  const std::string& y = b->path;
  const size_t n = std::min(x.size(), y.size());
  for (size_t i = 0; i < n; ++i) {
    const unsigned char cx = static_cast<unsigned char>(x[i]);
    const unsigned char cy = static_cast<unsigned char>(y[i]);
    if (cx == cy) continue;
    if (cx == '/') return true;
    if (cy == '/') return false;
    return cx < cy;
  }
  return x.size() < y.size();
}

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// A FileNode (files = 1) or DirectoryNode (directories = 2) of a Directory message:
// name = 1, digest = 2 (Digest: hash = 1, size_bytes = 2), FileNode.is_executable = 4.
void PutNode(std::string* out, int field, absl::string_view name, const Digest& d,
             bool executable) {
  const uint64_t size = static_cast<uint64_t>(d.size_bytes);
  const size_t digest_len = 1 + VarintSize(d.hash.size()) + d.hash.size() +
                            (size != 0 ? 1 + VarintSize(size) : 0);
  const size_t node_len = 1 + VarintSize(name.size()) + name.size() + 1 +
                          VarintSize(digest_len) + digest_len + (executable ? 2 : 0);
  out->push_back(static_cast<char>((field << 3) | 2));
  PutVarint(out, node_len);
  out->push_back(0x0a);
  PutVarint(out, name.size());
  out->append(name.data(), name.size());
  out->push_back(0x12);
  PutVarint(out, digest_len);
  out->push_back(0x0a);
  PutVarint(out, d.hash.size());
  out->append(d.hash);
  if (size != 0) {
    out->push_back(0x10);
    PutVarint(out, size);
  }
  if (executable) {
    out->push_back(0x20);
    out->push_back(0x01);
  }
}

class FastBuilder {
 public:
  FastBuilder(const std::vector<const FileEntry*>& sorted, std::map<Digest, std::string>* out)
      : sorted_(sorted), out_(out) {}

  // The Directory of entries [lo, hi), whose paths all start with a `prefix`-byte directory
  // path and '/' (prefix 0: the root). False on a file/directory conflict or a duplicate
  // path with different content.
  bool Build(size_t lo, size_t hi, size_t prefix, Digest* digest) {
    struct Sub {
      absl::string_view name;
      Digest digest;
    };
    std::vector<const FileEntry*> files;
    std::vector<Sub> dirs;
    size_t i = lo;
    while (i < hi) {
      const FileEntry* e = sorted_[i];
      absl::string_view rest = absl::string_view(e->path).substr(prefix);
      const size_t slash = rest.find('/');
      if (slash == absl::string_view::npos) {
        if (!files.empty() && files.back()->path == e->path) {
          if (!(*files.back() == *e)) return false;  // same path, different content or mode
        } else {
          files.push_back(e);
        }
        ++i;
        continue;
      }
      absl::string_view name = rest.substr(0, slash);
      if (!files.empty() && absl::string_view(files.back()->path).substr(prefix) == name) {
        return false;  // "a" is a file and a directory
      }
      size_t j = i + 1;
      while (j < hi) {
        absl::string_view other = absl::string_view(sorted_[j]->path).substr(prefix);
        if (other.size() <= name.size() || other[name.size()] != '/' ||
            other.substr(0, name.size()) != name) {
          break;
        }
        ++j;
      }
      Sub sub{name, Digest{}};
      if (!Build(i, j, prefix + name.size() + 1, &sub.digest)) return false;
      dirs.push_back(std::move(sub));
      i = j;
    }
    std::string bytes;
    for (const FileEntry* f : files) {
      PutNode(&bytes, 1, absl::string_view(f->path).substr(prefix), f->digest, f->is_executable);
    }
    for (const Sub& d : dirs) PutNode(&bytes, 2, d.name, d.digest, false);
    *digest = DigestOf(bytes);
    if (out_ != nullptr) out_->emplace(*digest, std::move(bytes));
    return true;
  }

 private:
  const std::vector<const FileEntry*>& sorted_;
  std::map<Digest, std::string>* out_;
};

// Path and digest checks of Insert, without building anything.
bool ValidEntry(const FileEntry& entry) {
  if (!entry.digest.IsValid()) return false;
  int depth = 0;
  for (absl::string_view part : absl::StrSplit(entry.path, '/')) {
    if (++depth > kMaxDepth || !IsValidName(part)) return false;
  }
  return true;
}

// The root digest (and, with `out`, every Directory), or nullopt if `files` has any problem.
std::optional<Digest> FastBuild(const std::vector<FileEntry>& files,
                                std::map<Digest, std::string>* out) {
  std::vector<const FileEntry*> sorted;
  sorted.reserve(files.size());
  for (const FileEntry& f : files) {
    if (!ValidEntry(f)) return std::nullopt;
    sorted.push_back(&f);
  }
  // Callers usually pass entries nearly in this order (a sorted list plus a
  // few additions at the end): sort only the tail after the sorted prefix,
  // then merge, instead of sorting everything.
  auto tail = std::is_sorted_until(sorted.begin(), sorted.end(), PathLess);
  if (tail != sorted.end()) {
    std::sort(tail, sorted.end(), PathLess);
    std::inplace_merge(sorted.begin(), tail, sorted.end(), PathLess);
  }
  Digest root;
  FastBuilder builder(sorted, out);
  if (!builder.Build(0, sorted.size(), 0, &root)) return std::nullopt;
  return root;
}

// The exact error of `files` (which FastBuild rejected), from the reference path.
absl::Status SlowError(const std::vector<FileEntry>& files) {
  DirNode root;
  for (const FileEntry& entry : files) {
    absl::Status s = Insert(root, entry);
    if (!s.ok()) return s;
  }
  return absl::InternalError("the Merkle tree builders disagree about an input");
}

using FetchFn = std::function<absl::StatusOr<reapi::Directory>(const Digest&)>;

absl::Status Walk(const reapi::Directory& dir, const std::string& prefix, int depth,
                  const FetchFn& fetch, std::vector<FileEntry>* out) {
  if (depth > kMaxDepth) return absl::InvalidArgumentError("directory tree is too deep");
  std::set<std::string> names;
  auto claim = [&](const std::string& name) -> absl::Status {
    if (!IsValidName(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("directory '", prefix, "' has an invalid entry name '", name, "'"));
    }
    if (!names.insert(name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("directory '", prefix, "' lists '", name, "' twice"));
    }
    return absl::OkStatus();
  };
  if (dir.symlinks_size() > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("directory '", prefix, "' has symlinks, which braid does not support yet"));
  }
  for (const reapi::FileNode& f : dir.files()) {
    absl::Status s = claim(f.name());
    if (!s.ok()) return s;
    absl::StatusOr<Digest> d = FromProto(f.digest());
    if (!d.ok()) return d.status();
    out->push_back(FileEntry{prefix + f.name(), *d, f.is_executable()});
  }
  for (const reapi::DirectoryNode& sub : dir.directories()) {
    absl::Status s = claim(sub.name());
    if (!s.ok()) return s;
    absl::StatusOr<Digest> d = FromProto(sub.digest());
    if (!d.ok()) return d.status();
    absl::StatusOr<reapi::Directory> child = fetch(*d);
    if (!child.ok()) return child.status();
    s = Walk(*child, prefix + sub.name() + "/", depth + 1, fetch, out);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

void SortByPath(std::vector<FileEntry>* files) {
  std::sort(files->begin(), files->end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
}

}  // namespace

absl::StatusOr<MerkleTree> BuildMerkleTree(std::vector<FileEntry> files) {
  MerkleTree tree;
  std::optional<Digest> root = FastBuild(files, &tree.directories);
  if (!root) return SlowError(files);
  tree.root = *std::move(root);
  return tree;
}

absl::StatusOr<MerkleTree> BuildMerkleTreeForTest(std::vector<FileEntry> files) {
  DirNode root;
  for (const FileEntry& entry : files) {
    absl::Status s = Insert(root, entry);
    if (!s.ok()) return s;
  }
  MerkleTree tree;
  tree.root = Encode(root, &tree.directories);
  return tree;
}

absl::StatusOr<Digest> MerkleRoot(const std::vector<FileEntry>& files) {
  std::optional<Digest> root = FastBuild(files, nullptr);
  if (!root) return SlowError(files);
  return *std::move(root);
}

absl::StatusOr<Digest> StoreMerkleTree(const MerkleTree& tree, LocalCas& cas) {
  for (const auto& [digest, bytes] : tree.directories) {
    absl::StatusOr<Digest> stored = cas.Put(bytes);
    if (!stored.ok()) return stored.status();
  }
  return tree.root;
}

absl::StatusOr<std::vector<FileEntry>> ListFiles(const Digest& root, LocalCas& cas) {
  FetchFn fetch = [&](const Digest& d) -> absl::StatusOr<reapi::Directory> {
    std::optional<std::string> bytes = cas.Get(d);
    if (!bytes) {
      return absl::NotFoundError(
          absl::StrCat("directory ", d.ToString(), " is missing from the store or damaged"));
    }
    reapi::Directory dir;
    if (!dir.ParseFromString(*bytes)) {
      return absl::InvalidArgumentError(
          absl::StrCat("blob ", d.ToString(), " is not a Directory message"));
    }
    return dir;
  };
  absl::StatusOr<reapi::Directory> top = fetch(root);
  if (!top.ok()) return top.status();
  std::vector<FileEntry> files;
  absl::Status s = Walk(*top, "", 0, fetch, &files);
  if (!s.ok()) return s;
  SortByPath(&files);
  return files;
}

absl::Status MaterializeTree(const Digest& root, LocalCas& cas, const std::string& dest_dir) {
  absl::StatusOr<std::vector<FileEntry>> files = ListFiles(root, cas);
  if (!files.ok()) return files.status();
  for (const FileEntry& f : *files) {
    absl::Status s = cas.MaterializeFile(f.digest, dest_dir + "/" + f.path, f.is_executable);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

reapi::Tree ToTreeMessage(const MerkleTree& tree) {
  reapi::Tree out;
  for (const auto& [digest, bytes] : tree.directories) {
    reapi::Directory* dir = digest == tree.root ? out.mutable_root() : out.add_children();
    dir->ParseFromString(bytes);
  }
  return out;
}

absl::StatusOr<std::vector<FileEntry>> ListTreeFiles(const reapi::Tree& tree) {
  std::map<Digest, const reapi::Directory*> by_digest;
  for (const reapi::Directory& child : tree.children()) {
    by_digest.emplace(DigestOfMessage(child), &child);
  }
  FetchFn fetch = [&](const Digest& d) -> absl::StatusOr<reapi::Directory> {
    auto it = by_digest.find(d);
    if (it == by_digest.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Tree is missing child directory ", d.ToString()));
    }
    return *it->second;
  };
  std::vector<FileEntry> files;
  absl::Status s = Walk(tree.root(), "", 0, fetch, &files);
  if (!s.ok()) return s;
  SortByPath(&files);
  return files;
}

}  // namespace braid::store
