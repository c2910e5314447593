# Install rules for the libraries, headers, pkg-config file and CMake package
# (included from src/CMakeLists.txt when CLR_INSTALL is on). Paths follow
# GNUInstallDirs, so a /usr prefix gets Debian's multiarch libdir.
include(CMakePackageConfigHelpers)
set(CLR_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/clrun)
set(CLR_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})

install(TARGETS clr_shared clr_static EXPORT clrunTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT dev
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/clrun DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(EXPORT clrunTargets NAMESPACE clrun:: DESTINATION ${CLR_CMAKE_DIR})

configure_package_config_file(${CLR_PACKAGING_DIR}/clrunConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/clrunConfig.cmake INSTALL_DESTINATION ${CLR_CMAKE_DIR})
# 0.x: only the same minor version is compatible (see the SONAME).
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(CLR_COMPAT SameMinorVersion)
else()
  set(CLR_COMPAT SameMajorVersion)
endif()
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/clrunConfigVersion.cmake
  COMPATIBILITY ${CLR_COMPAT})
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/clrunConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/clrunConfigVersion.cmake
  DESTINATION ${CLR_CMAKE_DIR})

# clrun.pc finds its prefix relative to itself (${pcfiledir}), so an install
# with `cmake --install --prefix P` is right wherever P is.
file(RELATIVE_PATH CLR_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" CLR_PC_TO_PREFIX "${CLR_PC_TO_PREFIX}")
configure_file(${CLR_PACKAGING_DIR}/clrun.pc.in ${CMAKE_CURRENT_BINARY_DIR}/clrun.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/clrun.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
