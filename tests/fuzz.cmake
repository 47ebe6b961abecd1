# libFuzzer harnesses (tests/fuzz/fuzz_*.c), built only with DLP_FUZZ=ON
# (clang). Target dlp_fuzz builds them all. Each gets a CTest smoke run
# of DLP_FUZZ_SMOKE_SECONDS (label "fuzz-smoke"); tests/fuzz/run-all.sh
# runs them for longer. See docs/robustness.md.
if(DLP_FUZZ)
  set(DLP_FUZZ_SMOKE_SECONDS 10 CACHE STRING
    "Seconds each fuzz harness runs in the fuzz-smoke tests")
  add_library(dlp_fuzz_common STATIC ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_common.c)
  target_link_libraries(dlp_fuzz_common PUBLIC dlp_static)
  target_include_directories(dlp_fuzz_common PUBLIC
    ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
  target_compile_definitions(dlp_fuzz_common PUBLIC
    DLP_FUZZ_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  add_custom_target(dlp_fuzz)
  file(GLOB DLP_FUZZERS CONFIGURE_DEPENDS
    ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_*.c)
  list(FILTER DLP_FUZZERS EXCLUDE REGEX "fuzz_common\\.c$")
  foreach(src ${DLP_FUZZERS})
    get_filename_component(name ${src} NAME_WE)
    string(REGEX REPLACE "^fuzz_" "" short ${name})
    add_executable(${name} ${src})
    target_link_libraries(${name} PRIVATE dlp_fuzz_common)
    if(name STREQUAL "fuzz_dlpd")
      target_link_libraries(${name} PRIVATE dlpd_core)
    endif()
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    set_target_properties(${name} PROPERTIES
      RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/fuzz)
    add_dependencies(dlp_fuzz ${name})
    add_test(NAME fuzz/${short} COMMAND sh
      ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/run-one.sh $<TARGET_FILE:${name}>
      ${short} ${DLP_FUZZ_SMOKE_SECONDS} ${CMAKE_BINARY_DIR}/fuzz-work)
    set_tests_properties(fuzz/${short} PROPERTIES LABELS fuzz-smoke
      TIMEOUT 120)
  endforeach()
endif()
