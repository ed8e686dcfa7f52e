// DOT -> SVG / PNG with the Graphviz library, in process (no `dot` child
// process). Graphviz keeps global state (its error hook, the lexer) and is
// not thread-safe, so calls are serialised; its messages are captured
// instead of printed and become the Status of a failed call.
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "model/render_model.hpp"

namespace bulwark::model {
namespace {

// Far above any diagram bulwark writes; keeps a hostile caller from feeding
// the layout engine something it cannot finish.
constexpr size_t kMaxDotBytes = 8u << 20;
constexpr size_t kMaxMessageBytes = 4096;

std::mutex g_graphviz_mutex;
std::string* g_messages = nullptr;  // guarded by g_graphviz_mutex

int CaptureMessage(char* message) {
  if (g_messages != nullptr && message != nullptr && g_messages->size() < kMaxMessageBytes) {
    g_messages->append(message);
  }
  return 0;
}

// Routes Graphviz's messages into `messages` for the scope's lifetime.
class MessageCapture {
 public:
  explicit MessageCapture(std::string& messages) {
    g_messages = &messages;
    previous_level_ = agseterr(AGWARN);
    previous_handler_ = agseterrf(CaptureMessage);
  }
  ~MessageCapture() {
    agseterrf(previous_handler_);
    agseterr(previous_level_);
    g_messages = nullptr;
  }
  MessageCapture(const MessageCapture&) = delete;
  MessageCapture& operator=(const MessageCapture&) = delete;

 private:
  agerrlevel_t previous_level_;
  agusererrf previous_handler_;
};

// Graphviz's path router (libpathplan) prints "triangulation failed" and
// the like straight to stderr, past agseterrf, when an edge is hard to
// route; the drawing is still made. While the layout and the drawing run,
// file descriptor 2 points at /dev/null (milliseconds; other threads'
// stderr output in that window would be lost, and bulwark's commands have none).
class StderrSilence {
 public:
  StderrSilence() {
    std::fflush(stderr);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null < 0) return;
    saved_ = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
    if (saved_ >= 0 && dup2(null, STDERR_FILENO) < 0) {
      close(saved_);
      saved_ = -1;
    }
    close(null);
  }
  ~StderrSilence() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    close(saved_);
  }
  StderrSilence(const StderrSilence&) = delete;
  StderrSilence& operator=(const StderrSilence&) = delete;

 private:
  int saved_ = -1;
};

// Graphviz's messages in one line, without its "Error: " prefixes.
std::string Clean(std::string messages) {
  std::string out;
  for (size_t start = 0; start < messages.size();) {
    size_t end = messages.find('\n', start);
    if (end == std::string::npos) end = messages.size();
    std::string line = messages.substr(start, end - start);
    start = end + 1;
    for (std::string_view prefix : {"Error: ", "Warning: "}) {
      if (line.rfind(prefix, 0) == 0) line.erase(0, prefix.size());
    }
    if (line.empty()) continue;
    out += (out.empty() ? "" : "; ") + line;
  }
  return out.empty() ? std::string("no details") : out;
}

struct GraphDeleter {
  void operator()(Agraph_t* graph) const { agclose(graph); }
};

core::Status GraphvizError(std::string_view what, std::string messages) {
  return core::Error(core::ErrorCode::kParseError,
                     "graphviz: " + std::string(what) + ": " + Clean(std::move(messages)));
}

}  // namespace

core::Result<std::vector<std::string>> RenderGraphvizFormats(std::string_view dot,
                                                             const std::vector<std::string_view>& formats) {
  for (std::string_view format : formats) {
    if (format != "svg" && format != "png") {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         "diagram format '" + std::string(format) + "' is not svg or png");
    }
  }
  if (dot.size() > kMaxDotBytes) return core::Error(core::ErrorCode::kTooLarge, "DOT text is larger than 8 MiB");
  // agmemread reads a C string: an embedded NUL would silently cut the graph.
  if (dot.find('\0') != std::string_view::npos) {
    return core::Error(core::ErrorCode::kParseError, "graphviz: DOT text contains a NUL byte");
  }
  std::lock_guard<std::mutex> lock(g_graphviz_mutex);
  std::string messages;
  MessageCapture capture(messages);
  // One context for the process, never freed: libgvc 2.43's pango plugin
  // keeps font data across contexts, so a second gvContext after
  // gvFreeContext reads freed memory (seen under valgrind).
  static GVC_t* const context = gvContext();
  if (context == nullptr) return core::Error(core::ErrorCode::kUnavailable, "graphviz: no context");
  std::string text(dot);
  std::unique_ptr<Agraph_t, GraphDeleter> graph(agmemread(text.c_str()));
  if (graph == nullptr) return GraphvizError("cannot read the DOT text", messages);
  std::vector<std::string> rendered;
  StderrSilence silence;
  // One layout serves every format.
  if (gvLayout(context, graph.get(), "dot") != 0) return GraphvizError("layout failed", messages);
  for (std::string_view format : formats) {
    char* data = nullptr;
    unsigned int length = 0;
    int rc = gvRenderData(context, graph.get(), std::string(format).c_str(), &data, &length);
    std::string out = (rc == 0 && data != nullptr) ? std::string(data, length) : std::string();
    if (data != nullptr) gvFreeRenderData(data);
    if (rc != 0 || out.empty()) {
      return core::Error(core::ErrorCode::kUnavailable,
                         "graphviz: cannot draw " + std::string(format) + " (is its plugin installed? `dot -P`): " +
                             Clean(std::move(messages)));
    }
    rendered.push_back(std::move(out));
  }
  // gvFreeLayout is not called: an invalid free in libgvc 2.43's dot cleanup
  // was seen on our graphs; agclose releases the graph (the layout's own
  // allocations, tens of KiB a drawing, stay: bulwark draws a few per run).
  return rendered;
}

core::Result<std::string> RenderGraphviz(std::string_view dot, std::string_view format) {
  ASSIGN_OR_RETURN(std::vector<std::string> rendered, RenderGraphvizFormats(dot, {format}));
  return std::move(rendered.front());
}

}  // namespace bulwark::model
