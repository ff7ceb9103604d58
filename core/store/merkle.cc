#include "core/store/merkle.h"

#include <algorithm>
#include <functional>
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
  DirNode root;
  for (const FileEntry& entry : files) {
    absl::Status s = Insert(root, entry);
    if (!s.ok()) return s;
  }
  MerkleTree tree;
  tree.root = Encode(root, &tree.directories);
  return tree;
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
