# Benchmark smoke test: bench/run --quick completes and writes valid JSON.
# No timing is asserted (label "bench-smoke"; the benchmark is not a test).
add_test(NAME bench/smoke
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/bench-smoke.sh
    ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR} ${CMAKE_BINARY_DIR}/bench-smoke)
set_tests_properties(bench/smoke PROPERTIES LABELS bench-smoke TIMEOUT 300)
