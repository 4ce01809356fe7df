# How our libraries are declared: one static library with its alias, one include directory public
# (so that an upward include fails to compile), C++20 and the project's warnings.

# _omadm_add_library(<target> <alias> <public-include-dir> SOURCES <files...> [PUBLIC <targets...>]
#                    [PRIVATE <targets...>])
function(_omadm_add_library target alias include_dir)
    cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
    add_library(${target} STATIC ${ARG_SOURCES})
    add_library(${alias} ALIAS ${target})
    target_include_directories(${target} PUBLIC ${include_dir})
    target_compile_features(${target} PUBLIC cxx_std_20)
    target_link_libraries(${target} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE} omadm_warnings)
endfunction()

# omadm_add_module(<name> SOURCES <files...> [PUBLIC <targets...>] [PRIVATE <targets...>])
# A core module: omadm_<name>, alias omadm::<name>, its include/ directory public.
function(omadm_add_module name)
    _omadm_add_library(omadm_${name} omadm::${name} include ${ARGN})
endfunction()

# omadm_add_reference_binary(<exe> LIB <name> SOURCES <files...> [PUBLIC <targets...>])
# A reference binary in two parts: the shell library omadm_<name> (alias omadm::<name>,
# its src/ directory public) that the binary's unit tests link, and the thin executable <exe> that
# is main.cpp alone.
function(omadm_add_reference_binary exe)
    cmake_parse_arguments(ARG "" "LIB" "" ${ARGN})
    _omadm_add_library(omadm_${ARG_LIB} omadm::${ARG_LIB} src ${ARG_UNPARSED_ARGUMENTS})
    add_executable(${exe} main.cpp)
    target_link_libraries(${exe} PRIVATE omadm::${ARG_LIB} omadm_warnings)
endfunction()
