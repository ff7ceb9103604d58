# Python target types and python_requirements parsing (rules/python/target_types.*,
# rules/python/requirements.*). Included from rules/python/CMakeLists.txt.

# PEP 508 requirements, requirements.txt and PEP 621 pyproject.toml parsing.
braid_library(braid_python_requirements
  SRCS requirements.cc poetry_requirements.cc pipenv_requirements.cc
  DEPS braid_base PkgConfig::RE2 tomlplusplus::tomlplusplus
       absl::status absl::statusor absl::strings)
braid_test(python_requirements_test
  SRCS requirements_test.cc
  DEPS braid_python_requirements)

# The python backend's target types and the python_requirements generator.
braid_library(braid_python_target_types
  SRCS target_types.cc subsystems.cc
  DEPS braid_python_requirements braid_graph braid_options)
braid_test(python_target_types_test
  SRCS target_types_test.cc
  DEPS braid_python_target_types)

# Interpreter discovery and identity for running tests.
braid_library(braid_python_interpreter
  SRCS interpreter.cc
  DEPS braid_base braid_exec absl::strings)
braid_test(python_interpreter_test SRCS interpreter_test.cc DEPS braid_python_interpreter)

