# dlpd: unit tests of the daemon's parts, and tests with real clients
# (curl, miltertest, Postfix + swaks). Label "service". The real-client
# tests skip (exit 77) only when a client program is missing or, for Postfix, when
# not run as root.
add_executable(test_dlpd ${CMAKE_CURRENT_SOURCE_DIR}/dlpd/test_dlpd.c)
target_link_libraries(test_dlpd PRIVATE dlpd_core dlp_test_harness)
target_include_directories(test_dlpd PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
set_target_properties(test_dlpd PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
add_test(NAME dlpd/unit COMMAND test_dlpd)

set(DLPD_T ${CMAKE_CURRENT_SOURCE_DIR}/dlpd)
add_test(NAME dlpd/http COMMAND bash ${DLPD_T}/http.sh $<TARGET_FILE:dlpd>
  ${DLPD_T} ${DLP_SOURCE_DATADIR})
add_test(NAME dlpd/milter COMMAND bash ${DLPD_T}/milter.sh
  $<TARGET_FILE:dlpd> ${DLPD_T} ${DLP_SOURCE_DATADIR})
add_test(NAME dlpd/postfix COMMAND bash ${DLPD_T}/postfix.sh
  $<TARGET_FILE:dlpd> ${DLPD_T} ${DLP_SOURCE_DATADIR})
set_tests_properties(dlpd/unit dlpd/http dlpd/milter dlpd/postfix
  PROPERTIES LABELS service SKIP_RETURN_CODE 77 TIMEOUT 180)
