// Boost.JSON's sources for the fuzz targets' parsers (fuzz/CMakeLists.txt); the shells compile them
// in reference-common/src/boost_src.cpp instead.
#include <boost/json/src.hpp>
