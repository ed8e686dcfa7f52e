// Falco's text forms of event arguments, chosen by ArgKind: flag sets render
// symbolically ("O_WRONLY|O_CREAT|O_TRUNC", "MS_BIND|MS_REC"), enumerations
// by name ("AF_PACKET", "PTRACE_ATTACH", "SIGKILL", "BPF_PROG_LOAD"),
// negative return values by errno name ("ENOENT"), capability masks as
// "CAP_CHOWN CAP_SYS_ADMIN". Rules compare against these forms
// (`evt.arg.flags contains O_TRUNC`). Values are Linux's (the open flags
// come from the build's <fcntl.h>, so they follow the architecture).
//
// Stateless and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/event/event.hpp"

namespace bulwark::runtime::rules {

// Appends the rendering of `arg` of an event of type `type` (the type
// decides between octal and symbolic file modes).
void RenderArg(const EventArg& arg, EventType type, std::string& out);

// "ENOENT" for 2 or -2; empty when unknown.
std::string_view ErrnoName(int64_t err);
// "SUCCESS" for res >= 0, else the errno name (or the number).
void AppendResult(int64_t res, std::string& out);

// Space-separated capability names of a mask, lowest bit first.
void AppendCapabilities(uint64_t mask, std::string& out);

// "1.2.3.4:80", "::1:80" (Falco's forms), or the UNIX path.
void AppendSockAddr(const SockAddr& addr, std::string& out);

// Open flags as the access-mode predicates of evt.is_open_* read them.
bool OpenFlagsRead(int64_t flags);
bool OpenFlagsWrite(int64_t flags);
bool OpenFlagsCreate(int64_t flags);

}  // namespace bulwark::runtime::rules
