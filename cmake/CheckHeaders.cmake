# hw_check_headers (STYLE B3): compiles every project header on its own, so a header that
# forgets an include fails here rather than depending on include order. Not part of `all`:
#   ninja -C build hw_check_headers
file(GLOB_RECURSE HW_PROJECT_HEADERS CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/actors/*.hpp ${PROJECT_SOURCE_DIR}/config/*.hpp
  ${PROJECT_SOURCE_DIR}/http/*.hpp ${PROJECT_SOURCE_DIR}/storage/*.hpp)
set(HW_HEADER_TUS)
foreach(h ${HW_PROJECT_HEADERS})
  file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${h})
  string(MAKE_C_IDENTIFIER "${rel}" id)
  set(tu ${CMAKE_BINARY_DIR}/check_headers/${id}.cpp)
  file(CONFIGURE OUTPUT ${tu} CONTENT "#include \"${rel}\"\n")
  list(APPEND HW_HEADER_TUS ${tu})
endforeach()
add_library(hw_check_headers OBJECT EXCLUDE_FROM_ALL ${HW_HEADER_TUS})
target_link_libraries(hw_check_headers PRIVATE hw_app)
# Run by scripts/test as one CTest test, so a header that does not stand alone fails CI.
add_test(NAME check_headers COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target hw_check_headers)
set_tests_properties(check_headers PROPERTIES LABELS "hermetic" TIMEOUT 900)
