# bulwark_embed_text_files(OUTPUT <cpp> GLOB <pattern> DELIMITER <d>
#                          HEADER <include> NAMESPACE <ns> TYPE <type> FUNCTION <name>)
#
# Compiles text files (rule files) into the program, so the binary needs no
# file beside it: writes <cpp> defining `const std::vector<TYPE>& FUNCTION()`
# in namespace NAMESPACE, one {file name, raw-string text} per file matching
# GLOB, sorted. Configure re-runs when one of them changes. A file holding
# the raw-string delimiter `)<d>"` is an error.
function(bulwark_embed_text_files)
  cmake_parse_arguments(E "" "OUTPUT;GLOB;DELIMITER;HEADER;NAMESPACE;TYPE;FUNCTION" "" ${ARGN})
  file(GLOB files ${E_GLOB})
  list(SORT files)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${files})
  set(body "")
  foreach(path ${files})
    file(READ ${path} text)
    get_filename_component(name ${path} NAME)
    string(FIND "${text}" ")${E_DELIMITER}\"" delimiter_at)
    if(NOT delimiter_at EQUAL -1)
      message(FATAL_ERROR "${path} contains the raw-string delimiter )${E_DELIMITER}\"")
    endif()
    string(APPEND body "    {\"${name}\", R\"${E_DELIMITER}(${text})${E_DELIMITER}\"},\n")
  endforeach()
  file(RELATIVE_PATH source_glob ${PROJECT_SOURCE_DIR} ${E_GLOB})
  file(CONFIGURE OUTPUT ${E_OUTPUT} CONTENT
"// Generated from ${source_glob} by cmake/EmbedTextFiles.cmake.
#include \"${E_HEADER}\"

namespace ${E_NAMESPACE} {

const std::vector<${E_TYPE}>& ${E_FUNCTION}() {
  static const std::vector<${E_TYPE}> files = {
${body}  };
  return files;
}

}  // namespace ${E_NAMESPACE}
" @ONLY)
endfunction()
