# bulwark's YARA rules (rules/yara/*.yar) are compiled into the program, so
# `bulwark triage` needs no file beside the binary. Re-run on any rule edit.
set(BULWARK_YARA_RULES_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/yara_rules_data.cpp)
file(GLOB bulwark_yara_files ${PROJECT_SOURCE_DIR}/rules/yara/*.yar)
list(SORT bulwark_yara_files)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${bulwark_yara_files})
set(bulwark_yara_body "")
foreach(yara_file ${bulwark_yara_files})
  file(READ ${yara_file} yara_text)
  get_filename_component(yara_name ${yara_file} NAME)
  string(FIND "${yara_text}" ")bwyara\"" delimiter_at)
  if(NOT delimiter_at EQUAL -1)
    message(FATAL_ERROR "${yara_file} contains the raw-string delimiter )bwyara\"")
  endif()
  string(APPEND bulwark_yara_body "    {\"${yara_name}\", R\"bwyara(${yara_text})bwyara\"},\n")
endforeach()
file(CONFIGURE OUTPUT ${BULWARK_YARA_RULES_CPP} CONTENT
"// Generated from rules/yara/*.yar by src/respond/embed_yara.cmake.
#include \"respond/yara_scan.hpp\"

namespace bulwark::respond {

const std::vector<YaraSource>& ShippedYaraRules() {
  static const std::vector<YaraSource> files = {
${bulwark_yara_body}  };
  return files;
}

}  // namespace bulwark::respond
" @ONLY)
