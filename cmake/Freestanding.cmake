# The freestanding 32-bit toolchain for Gandalf and its guests.
#
# The configured compiler (gcc or clang) is driven with -m32 and no hosted runtime:
# no exceptions, no RTTI, no libc, no floating point or SIMD registers (Gandalf never
# saves guests' FPU state, so it must not use it), no static constructors.
add_library(gandalf_freestanding INTERFACE)
target_compile_options(gandalf_freestanding INTERFACE
  -m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector
  -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-delete-null-pointer-checks
  -ffunction-sections -fdata-sections -O2
  # gcc: no FPU/SIMD registers at all. clang 14's -mgeneral-regs-only also rejects the
  # `long double` declarations of libstdc++'s <limits>, so there only MMX/SSE are
  # switched off; Gandalf has no floating-point code for x87 to be used by.
  $<$<CXX_COMPILER_ID:Clang>:-mno-mmx> $<$<CXX_COMPILER_ID:Clang>:-mno-sse>
  $<$<CXX_COMPILER_ID:Clang>:-mno-sse2> $<$<NOT:$<CXX_COMPILER_ID:Clang>>:-mgeneral-regs-only>
  $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit>
  ${GANDALF_WARNINGS})
target_include_directories(gandalf_freestanding INTERFACE ${CMAKE_SOURCE_DIR} ${CMAKE_SOURCE_DIR}/include)
target_link_options(gandalf_freestanding INTERFACE
  -m32 -nostdlib -static $<$<NOT:$<CXX_COMPILER_ID:Clang>>:-no-pie> -Wl,--gc-sections -Wl,-z,max-page-size=4096 -Wl,--build-id=none
  -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments)
# libgcc: the compiler's own support routines (64-bit division on IA-32), freestanding.
target_link_libraries(gandalf_freestanding INTERFACE gcc)

find_program(GANDALF_OBJCOPY NAMES objcopy llvm-objcopy REQUIRED)
