# Addresses, specs and source roots: the graph's vocabulary (owned by the fs/vocab
# engineer; included from core/graph/CMakeLists.txt).
braid_library(braid_graph_vocab
  SRCS ${CMAKE_CURRENT_LIST_DIR}/address.cc ${CMAKE_CURRENT_LIST_DIR}/specs.cc
       ${CMAKE_CURRENT_LIST_DIR}/source_roots.cc
  DEPS braid_fs absl::status absl::statusor absl::strings absl::hash)
braid_test(graph_vocab_test
  SRCS ${CMAKE_CURRENT_LIST_DIR}/address_test.cc ${CMAKE_CURRENT_LIST_DIR}/specs_test.cc
       ${CMAKE_CURRENT_LIST_DIR}/source_roots_test.cc
  DEPS braid_graph_vocab)
