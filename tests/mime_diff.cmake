# Differential test of the MIME parser against GMime 3 (test-only
# dependency, libgmime-3.0-dev). Built only when gmime-3.0 is found;
# skipped (exit 77) when the shared corpus is absent.
pkg_check_modules(GMIME IMPORTED_TARGET gmime-3.0)
if(GMIME_FOUND)
  add_executable(mime_diff ${CMAKE_CURRENT_SOURCE_DIR}/mime_diff/mime_diff.c)
  target_link_libraries(mime_diff PRIVATE dlp_static PkgConfig::GMIME)
  set_target_properties(mime_diff PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME mime_diff COMMAND mime_diff
    ${CMAKE_SOURCE_DIR}/../shared/corpus
    ${CMAKE_CURRENT_SOURCE_DIR}/mime_diff/divergences.txt)
  set_tests_properties(mime_diff PROPERTIES SKIP_RETURN_CODE 77
    LABELS diff TIMEOUT 600)
endif()
