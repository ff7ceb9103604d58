# count-loc goal (included from rules/goals/CMakeLists.txt).
braid_library(braid_count_loc SRCS count_loc.cc
              DEPS absl::strings absl::str_format absl::flat_hash_map)
braid_test(count_loc_test SRCS count_loc_test.cc DEPS braid_count_loc)
