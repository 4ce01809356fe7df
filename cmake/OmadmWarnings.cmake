# One INTERFACE target carrying the project's warning set; link it PRIVATE to our own targets only.
add_library(omadm_warnings INTERFACE)
if(NOT OMADM_WARNINGS)
    # The main job builds only what it runs, quietly: warnings belong to the test build (ci preset).
    target_compile_options(omadm_warnings INTERFACE -w)
    return()
endif()
target_compile_options(omadm_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
    -Wnon-virtual-dtor -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough -Wformat=2)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(omadm_warnings INTERFACE -Wduplicated-cond -Wlogical-op -Wuseless-cast)
endif()
if(OMADM_WARNINGS_AS_ERRORS)
    target_compile_options(omadm_warnings INTERFACE -Werror)
    # GCC 12 reports -Wnull-dereference inside libstdc++ (streambuf) once inlining is on: keep the
    # warning visible in optimised builds, but do not fail them on it.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
        target_compile_options(omadm_warnings INTERFACE $<$<NOT:$<CONFIG:Debug>>:-Wno-error=null-dereference>)
    endif()
endif()
