# End-to-end: dlpscan --json on each tests/messages/NAME.eml, checked
# against NAME.expect (see tests/e2e/check.sh). Label "e2e".
file(GLOB DLP_E2E_EXPECT CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_SOURCE_DIR}/messages/*.expect)
foreach(exp ${DLP_E2E_EXPECT})
  get_filename_component(name ${exp} NAME_WE)
  get_filename_component(dir ${exp} DIRECTORY)
  set(msg ${dir}/${name}.eml)
  add_test(NAME e2e/${name}
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/check.sh
      $<TARGET_FILE:dlpscan> ${msg} ${exp})
  set_tests_properties(e2e/${name} PROPERTIES LABELS e2e TIMEOUT 120
    SKIP_RETURN_CODE 77
    ENVIRONMENT "DLP_DATA_DIR=${CMAKE_SOURCE_DIR}/signatures")
endforeach()

add_test(NAME e2e/cli COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/cli.sh
  $<TARGET_FILE:dlpscan> ${CMAKE_SOURCE_DIR})
set_tests_properties(e2e/cli PROPERTIES LABELS e2e TIMEOUT 120
  SKIP_RETURN_CODE 77)

add_test(NAME e2e/dlpsig COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/dlpsig.sh
  $<TARGET_FILE:dlpsig> ${CMAKE_SOURCE_DIR})
set_tests_properties(e2e/dlpsig PROPERTIES LABELS e2e TIMEOUT 300
  ENVIRONMENT "DLP_DATA_DIR=${CMAKE_SOURCE_DIR}/signatures")

add_test(NAME e2e/install COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/install.sh
  ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
set_tests_properties(e2e/install PROPERTIES LABELS e2e TIMEOUT 300)
if(DLP_SANITIZE)
  # The test program links the sanitized library: it needs the runtime.
  set_tests_properties(e2e/install PROPERTIES
    ENVIRONMENT "DLP_TEST_LDFLAGS=-fsanitize=address,undefined")
endif()
