# The default runtime rules (rules/*.yaml) are compiled into the program, so
# `bulwark watch` needs no file beside the binary.
include(${PROJECT_SOURCE_DIR}/cmake/EmbedTextFiles.cmake)
set(BULWARK_DEFAULT_RULES_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/default_rules_data.cpp)
bulwark_embed_text_files(OUTPUT ${BULWARK_DEFAULT_RULES_CPP} GLOB ${PROJECT_SOURCE_DIR}/rules/*.yaml
                         DELIMITER bwrules HEADER runtime/watch/default_rules.hpp
                         NAMESPACE bulwark::runtime::watch TYPE EmbeddedRuleFile FUNCTION EmbeddedRuleFiles)
