#include "core/fs/file_index.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/base/parallel.h"
#include "core/fs/path.h"

namespace braid::fs {
namespace {

// Orders the entries of one directory as their paths sort in byte order once
// the walk appends what lies below them: a directory "d" counts as "d/".
// E.g. file "a-b" < directory "a" (as "a/") < file "a0".
bool PathOrderLess(const DirEntry& a, const DirEntry& b) {
  size_t n = std::min(a.name.size(), b.name.size());
  int c = n == 0 ? 0 : std::memcmp(a.name.data(), b.name.data(), n);
  if (c != 0) return c < 0;
  if (a.name.size() == b.name.size()) return false;
  // One name is a prefix of the other: the shorter one continues with '/'
  // (a directory) or ends (a file).
  bool a_shorter = a.name.size() < b.name.size();
  const DirEntry& shorter = a_shorter ? a : b;
  unsigned char next = static_cast<unsigned char>((a_shorter ? b : a).name[n]);
  bool shorter_first = !shorter.is_dir() || static_cast<unsigned char>('/') < next;
  return shorter_first == a_shorter;
}

class Walker {
 public:
  Walker(const FileSystem& fs, bool nested_gitignore,
         const std::vector<std::string>& always_ignored_dirs)
      : fs_(fs), nested_gitignore_(nested_gitignore) {
    for (const std::string& d : always_ignored_dirs) {
      absl::StatusOr<std::string> n = NormalizeRelativePath(d);
      if (n.ok() && !n->empty()) always_ignored_.insert(*n);
    }
  }

  // Walks `dir` and everything below it, in path order.
  absl::Status Walk(const std::string& dir, const IgnoreMatcher& ignore) {
    absl::StatusOr<Level> level = Open(dir, ignore);
    if (!level.ok()) return level.status();
    const IgnoreMatcher& matcher = level->nested ? *level->nested : ignore;
    for (const DirEntry& e : level->entries) {
      std::string path = JoinPath(dir, e.name);
      if (e.is_dir()) {
        if (!Enters(path, e, matcher)) continue;
        dirs_.push_back(path);
        absl::Status s = Walk(path, matcher);
        if (!s.ok()) return s;
      } else if (e.is_file()) {
        if (matcher.IsIgnored(path, /*is_dir=*/false)) continue;
        files_.push_back(std::move(path));
      }
      // kOther: broken symlinks, sockets, devices are skipped.
    }
    return absl::OkStatus();
  }

  // Same result as Walk(dir, ignore), on up to `parallelism` threads. The top
  // of the tree is listed breadth-first, in order, until there are enough
  // whole sub-trees to share out; each sub-tree is then walked by a Walker of
  // its own, and the pieces are joined in path order. Reports the error the
  // serial walk would have stopped at (the first in path order).
  absl::Status WalkParallel(const std::string& dir, const IgnoreMatcher& ignore,
                            int parallelism) {
    // The walk's output so far, in path order: a listed file or directory,
    // a sub-tree still to walk (with the matcher that applies inside it), or
    // the error listing a directory gave (where the serial walk would stop).
    struct Item {
      enum class Kind { kFile, kDir, kSubtree, kFailed } kind;
      std::string path;
      std::shared_ptr<const IgnoreMatcher> matcher;  // kSubtree only
      absl::Status error;                            // kFailed only
    };
    std::vector<Item> items;
    items.push_back({Item::Kind::kSubtree, dir, std::make_shared<IgnoreMatcher>(ignore), {}});
    const size_t wanted = static_cast<size_t>(std::max(1, parallelism)) * 16;
    for (int depth = 0; depth < 4; ++depth) {
      size_t subtrees = 0;
      for (const Item& it : items) subtrees += it.kind == Item::Kind::kSubtree;
      if (subtrees == 0 || subtrees >= wanted) break;
      std::vector<Item> next;
      next.reserve(items.size() * 4);
      for (Item& it : items) {
        if (it.kind != Item::Kind::kSubtree) {
          next.push_back(std::move(it));
          continue;
        }
        absl::StatusOr<Level> level = Open(it.path, *it.matcher);
        if (!level.ok()) {
          // Not returned yet: an earlier sub-tree may fail deeper down.
          next.push_back({Item::Kind::kFailed, std::move(it.path), nullptr, level.status()});
          continue;
        }
        std::shared_ptr<const IgnoreMatcher> matcher =
            level->nested ? std::make_shared<IgnoreMatcher>(*std::move(level->nested))
                          : it.matcher;
        for (const DirEntry& e : level->entries) {
          std::string path = JoinPath(it.path, e.name);
          if (e.is_dir()) {
            if (!Enters(path, e, *matcher)) continue;
            next.push_back({Item::Kind::kDir, path, nullptr, {}});
            next.push_back({Item::Kind::kSubtree, std::move(path), matcher, {}});
          } else if (e.is_file() && !matcher->IsIgnored(path, /*is_dir=*/false)) {
            next.push_back({Item::Kind::kFile, std::move(path), nullptr, {}});
          }
        }
      }
      items = std::move(next);
    }
    std::vector<size_t> subtree_items;
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].kind == Item::Kind::kSubtree) subtree_items.push_back(i);
    }
    struct Piece {
      std::vector<std::string> files, dirs;
      absl::Status status;
    };
    std::vector<Piece> pieces(subtree_items.size());
    ParallelFor(subtree_items.size(), parallelism, [&](size_t k) {
      const Item& it = items[subtree_items[k]];
      Walker sub(fs_, nested_gitignore_, {});
      sub.always_ignored_ = always_ignored_;
      pieces[k].status = sub.Walk(it.path, *it.matcher);
      pieces[k].files = std::move(sub.files_);
      pieces[k].dirs = std::move(sub.dirs_);
    }, ParallelGrain{1, 1});
    size_t k = 0;
    for (Item& it : items) {
      switch (it.kind) {
        case Item::Kind::kFile:
          files_.push_back(std::move(it.path));
          break;
        case Item::Kind::kDir:
          dirs_.push_back(std::move(it.path));
          break;
        case Item::Kind::kFailed:
          return it.error;
        case Item::Kind::kSubtree: {
          Piece& p = pieces[k++];
          if (!p.status.ok()) return p.status;
          files_.insert(files_.end(), std::make_move_iterator(p.files.begin()),
                        std::make_move_iterator(p.files.end()));
          dirs_.insert(dirs_.end(), std::make_move_iterator(p.dirs.begin()),
                       std::make_move_iterator(p.dirs.end()));
          break;
        }
      }
    }
    return absl::OkStatus();
  }

  std::vector<std::string> files_;
  std::vector<std::string> dirs_;

 private:
  // One directory: its entries in the order the walk visits them, and the
  // matcher for what lies below when it has a .gitignore of its own.
  struct Level {
    std::vector<DirEntry> entries;
    std::optional<IgnoreMatcher> nested;
  };

  absl::StatusOr<Level> Open(const std::string& dir, const IgnoreMatcher& ignore) const {
    absl::StatusOr<std::vector<DirEntry>> entries = fs_.ListDir(dir);
    if (!entries.ok()) {
      // A directory that vanished mid-walk is simply not there any more.
      if (absl::IsNotFound(entries.status()) && !dir.empty()) return Level{};
      return entries.status();
    }
    Level level;
    if (nested_gitignore_ && !dir.empty()) {
      for (const DirEntry& e : *entries) {
        if (e.name == ".gitignore" && e.is_file()) {
          std::string path = JoinPath(dir, e.name);
          absl::StatusOr<std::string> text = fs_.ReadFile(path);
          if (text.ok()) {
            level.nested = ignore;
            level.nested->Add(IgnoreRules::Parse(IgnoreSource::kGitignore, dir, *text, path));
          }
          break;
        }
      }
    }
    // Visit entries in the byte order of their full paths, so files_ comes
    // out sorted without sorting 10k+ strings at the end.
    std::sort(entries->begin(), entries->end(), PathOrderLess);
    level.entries = *std::move(entries);
    return level;
  }

  // Whether the walk enters directory entry `e` at `path`.
  bool Enters(const std::string& path, const DirEntry& e, const IgnoreMatcher& matcher) const {
    // Directory symlinks are not followed (see file_index.h).
    return !e.is_symlink && !always_ignored_.contains(path) &&
           !matcher.IsIgnored(path, /*is_dir=*/true);
  }

  const FileSystem& fs_;
  bool nested_gitignore_;
  absl::flat_hash_set<std::string> always_ignored_;
};

absl::Span<const std::string> PrefixRange(const std::vector<std::string>& v,
                                          absl::string_view dir) {
  if (dir.empty()) return absl::MakeConstSpan(v);
  // All paths below "d" start with "d/"; '0' is the byte after '/'.
  std::string lo = absl::StrCat(dir, "/");
  std::string hi = absl::StrCat(dir, "0");
  auto b = std::lower_bound(v.begin(), v.end(), lo);
  auto e = std::lower_bound(b, v.end(), hi);
  return absl::MakeConstSpan(v.data() + (b - v.begin()), static_cast<size_t>(e - b));
}

}  // namespace

absl::StatusOr<FileIndex> FileIndex::Build(const FileSystem& fs, const WalkOptions& options) {
  IgnoreMatcher matcher;
  if (options.use_gitignore) {
    // Optional files: absence is normal.
    if (absl::StatusOr<std::string> text = fs.ReadFile(".git/info/exclude"); text.ok()) {
      matcher.Add(
          IgnoreRules::Parse(IgnoreSource::kGitInfoExclude, "", *text, ".git/info/exclude"));
    }
    if (absl::StatusOr<std::string> text = fs.ReadFile(".gitignore"); text.ok()) {
      matcher.Add(IgnoreRules::Parse(IgnoreSource::kGitignore, "", *text, ".gitignore"));
    }
  }
  matcher.Add(IgnoreRules::FromLines(IgnoreSource::kPantsIgnore, "", options.pants_ignore));
  Walker walker(fs, options.use_gitignore && options.nested_gitignore,
                options.always_ignored_dirs);
  absl::Status s = options.parallelism > 1 ? walker.WalkParallel("", matcher, options.parallelism)
                                           : walker.Walk("", matcher);
  if (!s.ok()) return s;
  return FromWalk(std::move(walker.files_), std::move(walker.dirs_));
}

FileIndex FileIndex::FromWalk(std::vector<std::string> files, std::vector<std::string> dirs) {
  FileIndex index;
  index.files_ = std::move(files);
  index.dirs_ = std::move(dirs);
  // The walk yields files sorted already (see PathOrderLess); the check is
  // linear. Directories are listed before their contents, which is not byte
  // order ("a" < "a-b" < "a/x"), so they are sorted (there are far fewer).
  if (!std::is_sorted(index.files_.begin(), index.files_.end())) {
    std::sort(index.files_.begin(), index.files_.end());
  }
  std::sort(index.dirs_.begin(), index.dirs_.end());
  return index;
}

absl::StatusOr<FileIndex> FileIndex::Build(const FileSystem& fs, const IgnoreMatcher& ignore,
                                           bool nested_gitignore) {
  Walker walker(fs, nested_gitignore, {});
  absl::Status s = walker.Walk("", ignore);
  if (!s.ok()) return s;
  return FromWalk(std::move(walker.files_), std::move(walker.dirs_));
}

FileIndex FileIndex::FromFiles(std::vector<std::string> files) {
  FileIndex index;
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  absl::flat_hash_set<std::string> dirs;
  for (const std::string& f : files) {
    for (absl::string_view d = Dirname(f); !d.empty(); d = Dirname(d)) {
      if (!dirs.insert(std::string(d)).second) break;
    }
  }
  index.files_ = std::move(files);
  index.dirs_.assign(dirs.begin(), dirs.end());
  std::sort(index.dirs_.begin(), index.dirs_.end());
  return index;
}

bool FileIndex::HasFile(absl::string_view path) const {
  auto it = std::lower_bound(files_.begin(), files_.end(), path);
  return it != files_.end() && *it == path;
}

bool FileIndex::HasDir(absl::string_view path) const {
  if (path.empty()) return true;
  auto it = std::lower_bound(dirs_.begin(), dirs_.end(), path);
  return it != dirs_.end() && *it == path;
}

absl::Span<const std::string> FileIndex::FilesUnder(absl::string_view dir) const {
  return PrefixRange(files_, dir);
}

absl::Span<const std::string> FileIndex::DirsUnder(absl::string_view dir) const {
  return PrefixRange(dirs_, dir);
}

std::vector<absl::string_view> FileIndex::FilesIn(absl::string_view dir) const {
  std::vector<absl::string_view> out;
  size_t skip = dir.empty() ? 0 : dir.size() + 1;
  absl::Span<const std::string> under = FilesUnder(dir);
  auto it = under.begin();
  while (it != under.end()) {
    absl::string_view f = *it;
    size_t slash = f.find('/', skip);
    if (slash == absl::string_view::npos) {
      out.push_back(f);
      ++it;
      continue;
    }
    // Jump over the whole sub-directory: its files are one contiguous range
    // ending before "<subdir>0" ('0' is the byte after '/').
    std::string end = absl::StrCat(f.substr(0, slash), "0");
    it = std::lower_bound(it, under.end(), end);
  }
  return out;
}

}  // namespace braid::fs
