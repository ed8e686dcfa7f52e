// Container metadata for container.* and k8s.* fields: a source that asks
// the container engine (Docker Engine API: GET /containers/<id>/json), and
// a bounded cache in front of it that inspects on the first miss, retries a
// failed lookup only after a delay (rate limit) and refreshes an entry after
// a while so a restarted or renamed container is seen. Entries for a known
// ID always exist, with empty fields where the engine could not say (never
// placeholders). Not thread-safe (owned by the state tables).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"
#include "runtime/event/state.hpp"
#include "runtime/sensor/container_id.hpp"

namespace bulwark::docker {
class EngineClient;
}

namespace bulwark::runtime::sensor {

// Parses the Engine API's container inspect JSON. kParseError when it is
// not an object with an Id.
core::Result<Container> ParseContainerInspect(std::string_view json);

// One container lifecycle event from the engine ("start", "rename", ...).
struct ContainerChange {
  std::string full_id;
  std::string action;
};

// The container events in an Engine API /events answer (one JSON object per
// line); other lines are skipped. At most `max_events`.
std::vector<ContainerChange> ParseContainerEvents(std::string_view body, size_t max_events = 10'000);

// Splits "registry:5000/team/app:1.2@sha256:..." into repository, tag and
// digest; the tag is "latest" when neither a tag nor a digest is given.
void SplitImageReference(std::string_view image, Container& c);

class ContainerSource {
 public:
  virtual ~ContainerSource() = default;
  // NotFound when the engine does not know the container.
  virtual core::Result<Container> Inspect(const std::string& full_id) = 0;
  // Container events between two Unix times (seconds); none when the
  // engine cannot tell.
  virtual core::Result<std::vector<ContainerChange>> Changes(int64_t since_s, int64_t until_s) {
    (void)since_s;
    (void)until_s;
    return std::vector<ContainerChange>{};
  }
};

class DockerContainerSource : public ContainerSource {
 public:
  explicit DockerContainerSource(std::string socket_path);
  ~DockerContainerSource() override;
  core::Result<Container> Inspect(const std::string& full_id) override;
  core::Result<std::vector<ContainerChange>> Changes(int64_t since_s, int64_t until_s) override;

 private:
  std::unique_ptr<docker::EngineClient> client_;
};

struct ContainerCacheOptions {
  size_t max_entries = 4096;
  uint64_t retry_after_ns = 10'000'000'000ULL;     // a failed inspect
  uint64_t refresh_after_ns = 300'000'000'000ULL;  // a good one
};

class ContainerCache {
 public:
  // `source` may be null (no engine): entries then hold only the ID and type.
  explicit ContainerCache(ContainerSource* source, ContainerCacheOptions options = {})
      : source_(source), options_(options) {}

  // The entry for `ref`, inspecting the engine when due.
  const Container* Resolve(const ContainerRef& ref, uint64_t now_ns);
  const Container* Find(std::string_view id) const;
  // Asks the engine what happened to containers since the last call and
  // applies it: a started, renamed, updated or restarted container is
  // inspected again now; a destroyed one is forgotten. The first call only
  // marks the time. Call about once a second (the watch loop does).
  void PollChanges(uint64_t now_ns);
  size_t size() const { return entries_.size(); }
  uint64_t lookups() const { return lookups_; }

 private:
  struct Entry {
    Container container;
    uint64_t checked_ns = 0;
    bool complete = false;  // the engine answered
  };
  ContainerSource* source_;
  ContainerCacheOptions options_;
  std::map<std::string, Entry, std::less<>> entries_;
  uint64_t lookups_ = 0;
  int64_t changes_until_s_ = -1;  // where the last PollChanges stopped
};

}  // namespace bulwark::runtime::sensor
