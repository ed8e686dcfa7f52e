# The default runtime rules (rules/*.yaml) are compiled into the program, so
# `bulwark watch` needs no file beside the binary. Re-run on any rule edit.
set(BULWARK_DEFAULT_RULES_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/default_rules_data.cpp)
file(GLOB bulwark_rule_files ${PROJECT_SOURCE_DIR}/rules/*.yaml)
list(SORT bulwark_rule_files)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${bulwark_rule_files})
set(bulwark_rules_body "")
foreach(rule_file ${bulwark_rule_files})
  file(READ ${rule_file} rule_text)
  get_filename_component(rule_name ${rule_file} NAME)
  string(FIND "${rule_text}" ")bwrules\"" delimiter_at)
  if(NOT delimiter_at EQUAL -1)
    message(FATAL_ERROR "${rule_file} contains the raw-string delimiter )bwrules\"")
  endif()
  string(APPEND bulwark_rules_body "    {\"${rule_name}\", R\"bwrules(${rule_text})bwrules\"},\n")
endforeach()
file(CONFIGURE OUTPUT ${BULWARK_DEFAULT_RULES_CPP} CONTENT
"// Generated from rules/*.yaml by src/runtime/watch/embed_rules.cmake.
#include \"runtime/watch/default_rules.hpp\"

namespace bulwark::runtime::watch {

const std::vector<EmbeddedRuleFile>& EmbeddedRuleFiles() {
  static const std::vector<EmbeddedRuleFile> files = {
${bulwark_rules_body}  };
  return files;
}

}  // namespace bulwark::runtime::watch
" @ONLY)
