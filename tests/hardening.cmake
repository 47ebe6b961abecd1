# Hardening suites (docs/robustness.md): dlpd's exposure and privileges,
# and a bounded load test with faulty clients. Label "service".
set(DLPD_T ${CMAKE_CURRENT_SOURCE_DIR}/dlpd)
add_test(NAME dlpd/exposure COMMAND bash ${DLPD_T}/exposure.sh
  $<TARGET_FILE:dlpd> ${DLPD_T} ${DLP_SOURCE_DATADIR})
set(DLP_LOAD_SECONDS 60 CACHE STRING "Seconds of the dlpd load test")
add_test(NAME dlpd/load COMMAND bash ${DLPD_T}/load.sh
  $<TARGET_FILE:dlpd> ${DLPD_T} ${DLP_SOURCE_DATADIR} ${DLP_LOAD_SECONDS})
set_tests_properties(dlpd/exposure dlpd/load PROPERTIES LABELS service
  SKIP_RETURN_CODE 77 TIMEOUT 300)
