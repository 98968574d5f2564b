# Runs itron-cfg on one .cfg file and checks the outcome (cmake -P).
#   -DTOOL=itron-cfg -DCPP="cc -E -x c" -DCFG=case.cfg -DOUT=dir -DINCLUDES="dir;dir"
#   -DMODE=error|good|compile_error [-DCXX=c++ -DITRON_DIR=... -DPORT_INCLUDE=...]
#   [-DEXPECTED_HEADER=file] [-DFLAVOR=itron|asp|jsp]
# The .cfg file states what must appear on stderr in comments:
#   /* expect: name.cfg:LINE: error: MESSAGE */   (no ';' in MESSAGE)
#   /* expect-errors: N */                         (exact count of "error:" lines)
# error:         exit status 1, every expectation on stderr, no output file left behind.
# good:          exit status 0, the ID header equals EXPECTED_HEADER, the source compiles.
# compile_error: the tool succeeds, the compiler fails with every expectation on stderr.
cmake_minimum_required(VERSION 3.20)

function(fail message)
  message(FATAL_ERROR "${message}")
endfunction()

function(check_expectations text)
  file(STRINGS "${CFG}" expect_lines REGEX "expect: ")
  foreach(line IN LISTS expect_lines)
    string(REGEX REPLACE ".*expect: (.*[^ ]) *\\*/.*" "\\1" wanted "${line}")
    string(FIND "${text}" "${wanted}" at)
    if(at EQUAL -1)
      fail("expected on stderr: '${wanted}'\n--- stderr ---\n${text}")
    endif()
  endforeach()
  file(STRINGS "${CFG}" count_lines REGEX "expect-errors: [0-9]+")
  if(count_lines)
    string(REGEX REPLACE ".*expect-errors: ([0-9]+).*" "\\1" wanted_count "${count_lines}")
    string(REGEX MATCHALL ": error: " found "${text}")
    list(LENGTH found found_count)
    if(NOT found_count EQUAL wanted_count)
      fail("expected ${wanted_count} errors, found ${found_count}\n--- stderr ---\n${text}")
    endif()
  endif()
endfunction()

set(flavor_args)
if(FLAVOR)
  set(flavor_args --flavor ${FLAVOR})
endif()
set(header "${OUT}/kernel_cfg.h")
set(source "${OUT}/kernel_cfg.cpp")
set(depfile "${OUT}/kernel_cfg.d")
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
# Stale outputs of an earlier run: an error must remove them.
foreach(stale IN ITEMS "${header}" "${source}" "${depfile}")
  file(WRITE "${stale}" "stale\n")
endforeach()

set(include_args)
foreach(dir IN LISTS INCLUDES)
  list(APPEND include_args -I "${dir}")
endforeach()
execute_process(
  COMMAND "${TOOL}" --cpp "${CPP}" ${include_args} --header "${header}" --source "${source}"
          --depfile "${depfile}" ${flavor_args} "${CFG}"
  RESULT_VARIABLE status ERROR_VARIABLE stderr OUTPUT_VARIABLE stdout)

if(MODE STREQUAL "error")
  if(NOT status EQUAL 1)
    fail("exit status ${status}, expected 1\n--- stderr ---\n${stderr}")
  endif()
  check_expectations("${stderr}")
  foreach(output IN ITEMS "${header}" "${source}" "${depfile}")
    if(EXISTS "${output}")
      fail("${output} was written despite the errors")
    endif()
  endforeach()
  return()
endif()

if(NOT status EQUAL 0)
  fail("exit status ${status}, expected 0\n--- stderr ---\n${stderr}")
endif()
get_filename_component(cfg_dir "${CFG}" DIRECTORY)
execute_process(
  COMMAND "${CXX}" -std=c++20 -m32 -ffreestanding -fsyntax-only -Wall -Wextra -Werror
          -I "${ITRON_DIR}" -I "${ITRON_DIR}/include" -I "${PORT_INCLUDE}" -I "${OUT}"
          -I "${cfg_dir}" "${source}"
  RESULT_VARIABLE compile_status ERROR_VARIABLE compile_stderr)

if(MODE STREQUAL "compile_error")
  if(compile_status EQUAL 0)
    fail("the generated source compiled, expected errors")
  endif()
  check_expectations("${compile_stderr}")
  return()
endif()

if(NOT compile_status EQUAL 0)
  fail("the generated source does not compile:\n${compile_stderr}")
endif()
file(READ "${header}" header_text)
file(READ "${EXPECTED_HEADER}" expected_text)
if(NOT header_text STREQUAL expected_text)
  fail("${header} differs from ${EXPECTED_HEADER}:\n${header_text}")
endif()
file(READ "${depfile}" depfile_text)
string(FIND "${depfile_text}" "${CFG}" at)
if(at EQUAL -1)
  fail("the depfile does not name ${CFG}:\n${depfile_text}")
endif()
