# Style: clang-format over every committed C file. Label "style".
add_test(NAME style/clang-format
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/check-format.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(style/clang-format PROPERTIES LABELS style
  SKIP_RETURN_CODE 77 TIMEOUT 300)
