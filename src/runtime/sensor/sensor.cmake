# The eBPF sensor: CO-RE programs compiled at build time into a libbpf
# skeleton, plus the userspace library bulwark_sensor (loader, ring-buffer
# EventSource, decoder, state tables). Included by src/CMakeLists.txt.
#
# vmlinux.h comes from the build machine's BTF (/sys/kernel/btf/vmlinux,
# `bpftool btf dump ... format c`); a checked-in src/runtime/bpf/vmlinux_x86.h
# is used only when that file is absent. CO-RE relocates the programs to the
# running kernel at load time, so the build machine's kernel need not be the
# one `bulwark watch` runs on.

find_program(BULWARK_BPF_CLANG NAMES clang clang-16 clang-15 clang-14)
find_program(BULWARK_BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin /usr/local/sbin)
if(NOT BULWARK_BPF_CLANG)
  message(FATAL_ERROR "bulwark_sensor: clang not found; it compiles the eBPF programs "
                      "(scripts/install-deps.sh build installs it)")
endif()
if(NOT BULWARK_BPFTOOL)
  message(FATAL_ERROR "bulwark_sensor: bpftool not found (looked in PATH and /usr/sbin); it "
                      "generates vmlinux.h and the skeleton (scripts/install-deps.sh build)")
endif()
pkg_check_modules(LIBBPF REQUIRED IMPORTED_TARGET libbpf)
pkg_check_modules(LIBELF REQUIRED IMPORTED_TARGET libelf)
pkg_check_modules(LIBCAP REQUIRED IMPORTED_TARGET libcap)

set(bulwark_bpf_src ${CMAKE_CURRENT_SOURCE_DIR}/runtime/bpf)
set(bulwark_bpf_gen ${CMAKE_CURRENT_BINARY_DIR}/generated/bpf)
file(MAKE_DIRECTORY ${bulwark_bpf_gen})

# vmlinux.h: generated once per build directory from this machine's BTF.
set(bulwark_vmlinux_h ${bulwark_bpf_gen}/vmlinux.h)
if(NOT EXISTS ${bulwark_vmlinux_h})
  if(EXISTS /sys/kernel/btf/vmlinux)
    execute_process(
      COMMAND ${BULWARK_BPFTOOL} btf dump file /sys/kernel/btf/vmlinux format c
      OUTPUT_FILE ${bulwark_vmlinux_h}.tmp RESULT_VARIABLE vmlinux_rc ERROR_VARIABLE vmlinux_err)
    if(vmlinux_rc EQUAL 0)
      file(RENAME ${bulwark_vmlinux_h}.tmp ${bulwark_vmlinux_h})
    else()
      file(REMOVE ${bulwark_vmlinux_h}.tmp)
      message(WARNING "bulwark_sensor: bpftool could not dump /sys/kernel/btf/vmlinux: ${vmlinux_err}")
    endif()
  endif()
  if(NOT EXISTS ${bulwark_vmlinux_h} AND EXISTS ${bulwark_bpf_src}/vmlinux_x86.h)
    configure_file(${bulwark_bpf_src}/vmlinux_x86.h ${bulwark_vmlinux_h} COPYONLY)
  endif()
  if(NOT EXISTS ${bulwark_vmlinux_h})
    message(FATAL_ERROR
      "bulwark_sensor: no kernel BTF to build the eBPF programs against: "
      "/sys/kernel/btf/vmlinux is missing (kernel without CONFIG_DEBUG_INFO_BTF) and no "
      "src/runtime/bpf/vmlinux_x86.h is checked in. Build on a kernel with BTF, or commit a "
      "vmlinux_x86.h made with `bpftool btf dump file /sys/kernel/btf/vmlinux format c`.")
  endif()
endif()

file(GLOB bulwark_bpf_headers CONFIGURE_DEPENDS ${bulwark_bpf_src}/*.h)
set(bulwark_bpf_obj ${bulwark_bpf_gen}/sensor.bpf.o)
set(bulwark_bpf_skel ${bulwark_bpf_gen}/sensor.skel.h)
add_custom_command(
  OUTPUT ${bulwark_bpf_obj}
  COMMAND ${BULWARK_BPF_CLANG} -target bpf -g -O2 -D__TARGET_ARCH_x86 -Wall
          -I${bulwark_bpf_gen} -I${bulwark_bpf_src} -I${LIBBPF_INCLUDEDIR}
          -c ${bulwark_bpf_src}/sensor.bpf.c -o ${bulwark_bpf_obj}
  DEPENDS ${bulwark_bpf_src}/sensor.bpf.c ${bulwark_bpf_headers} ${bulwark_vmlinux_h}
  COMMENT "Compiling the eBPF sensor (CO-RE)" VERBATIM)
add_custom_command(
  OUTPUT ${bulwark_bpf_skel}
  COMMAND ${BULWARK_BPFTOOL} gen skeleton ${bulwark_bpf_obj} name bw_sensor > ${bulwark_bpf_skel}.tmp
  COMMAND ${CMAKE_COMMAND} -E rename ${bulwark_bpf_skel}.tmp ${bulwark_bpf_skel}
  DEPENDS ${bulwark_bpf_obj}
  COMMENT "Generating the eBPF sensor skeleton")
add_custom_target(bulwark_sensor_skeleton DEPENDS ${bulwark_bpf_skel})

bulwark_library_at(bulwark_sensor runtime/sensor bulwark_runtime_event bulwark_docker bulwark_core
                   PkgConfig::LIBBPF PkgConfig::LIBELF PkgConfig::LIBCAP ZLIB::ZLIB
                   nlohmann_json::nlohmann_json Threads::Threads)
add_dependencies(bulwark_sensor bulwark_sensor_skeleton)
target_include_directories(bulwark_sensor PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/runtime/bpf
                                          PRIVATE ${bulwark_bpf_gen})
