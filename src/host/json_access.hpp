// Null-safe reads from Engine API documents (inspect, info): a missing key or
// a value of another type gives the fallback, never an exception. Paths are
// JSON pointers ("/HostConfig/Privileged").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace bulwark::host {

// nullptr when the path is absent or not a valid pointer.
const nlohmann::json* JsonAt(const nlohmann::json& doc, std::string_view pointer);
std::string JsonString(const nlohmann::json& doc, std::string_view pointer, std::string fallback = "");
bool JsonBool(const nlohmann::json& doc, std::string_view pointer, bool fallback = false);
int64_t JsonInt(const nlohmann::json& doc, std::string_view pointer, int64_t fallback = 0);
// The strings of an array (other elements skipped); empty when absent.
std::vector<std::string> JsonStrings(const nlohmann::json& doc, std::string_view pointer);

}  // namespace bulwark::host
