# bulwark's YARA rules (rules/yara/*.yar) are compiled into the program, so
# `bulwark triage` needs no file beside the binary.
include(${PROJECT_SOURCE_DIR}/cmake/EmbedTextFiles.cmake)
set(BULWARK_YARA_RULES_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/yara_rules_data.cpp)
bulwark_embed_text_files(OUTPUT ${BULWARK_YARA_RULES_CPP} GLOB ${PROJECT_SOURCE_DIR}/rules/yara/*.yar
                         DELIMITER bwyara HEADER respond/yara_scan.hpp NAMESPACE bulwark::respond
                         TYPE YaraSource FUNCTION ShippedYaraRules)
