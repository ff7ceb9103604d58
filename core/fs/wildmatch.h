// Shell-style wildcard matching shared by ignore.h (gitignore) and glob.h
// (Pants path globs).
//
//   *      any run of characters except '/'
//   ?      one character except '/'
//   [a-z]  a class; [!a-z] or [^a-z] negated; ']' first is literal
//   \x     the literal character x
//   **     when it is a whole path part: any number of parts, including none
//          ("a/**/b" matches "a/b" and "a/x/y/b"; "a/**" matches everything
//          below "a"; "**/b" matches "b" at any depth). Elsewhere it acts as "*".
//
// Matching is over whole strings, byte by byte (no locale, no case folding),
// and a leading '.' is not special: "*" matches ".bashrc".
#ifndef BRAID_CORE_FS_WILDMATCH_H_
#define BRAID_CORE_FS_WILDMATCH_H_

#include <string>

#include "absl/strings/string_view.h"

namespace braid::fs {

/// True when `text` (a '/'-separated path) matches `pattern` as described above.
bool WildMatch(absl::string_view pattern, absl::string_view text);

/// True when `pattern` contains an unescaped '*', '?' or '['.
bool HasWildcard(absl::string_view pattern);

/// Removes backslash escapes ("a\*b" -> "a*b"); for literal patterns.
std::string UnescapePattern(absl::string_view pattern);

}  // namespace braid::fs

#endif  // BRAID_CORE_FS_WILDMATCH_H_
