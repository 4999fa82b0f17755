# Install rules shared by `cmake --install` and `cpack -G DEB`: the icon at
# the usual hicolor sizes, the examples, the bonsai-cli man page, and the
# Debian package whose dependencies dpkg-shlibdeps computes.
include(GNUInstallDirs)

# The PNG icons are rendered from the SVG at build time (librsvg2-bin), so
# they never drift from it.
find_program(BONSAI_RSVG_CONVERT rsvg-convert)
set(BONSAI_ICON_SIZES 16 22 24 32 48 64 128 256 512)
set(BONSAI_ICON_SVG "${PROJECT_SOURCE_DIR}/resources/icons/bonsai.svg")
set(packaging_outputs)
if(BONSAI_RSVG_CONVERT)
  foreach(size ${BONSAI_ICON_SIZES})
    set(png "${PROJECT_BINARY_DIR}/icons/${size}x${size}/bonsai.png")
    add_custom_command(
      OUTPUT "${png}"
      COMMAND "${CMAKE_COMMAND}" -E make_directory "${PROJECT_BINARY_DIR}/icons/${size}x${size}"
      COMMAND "${BONSAI_RSVG_CONVERT}" -w ${size} -h ${size} -o "${png}" "${BONSAI_ICON_SVG}"
      DEPENDS "${BONSAI_ICON_SVG}"
      COMMENT "Rendering the ${size}x${size} icon"
      VERBATIM)
    list(APPEND packaging_outputs "${png}")
    install(FILES "${png}" DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps")
  endforeach()
else()
  message(WARNING "rsvg-convert (package librsvg2-bin) not found: the PNG icons are not built "
                  "or installed; install it (scripts/setup.sh does) for a complete package.")
endif()

# bonsai-cli.1 from its --help and --version (help2man), gzipped as Debian
# installs man pages.
find_program(BONSAI_HELP2MAN help2man)
find_program(BONSAI_GZIP gzip)
if(BONSAI_HELP2MAN AND BONSAI_GZIP)
  set(man "${PROJECT_BINARY_DIR}/man/bonsai-cli.1")
  add_custom_command(
    OUTPUT "${man}.gz"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${PROJECT_BINARY_DIR}/man"
    COMMAND "${BONSAI_HELP2MAN}" --no-info --no-discard-stderr
            --name "headless runs, listing and export of Bonsai studies"
            --version-string "${PROJECT_VERSION}" --output "${man}" "$<TARGET_FILE:bonsai-cli>"
    COMMAND "${BONSAI_GZIP}" -9nf "${man}"
    DEPENDS bonsai-cli "${PROJECT_SOURCE_DIR}/app/cli/main.cpp"
    COMMENT "Writing the bonsai-cli man page"
    VERBATIM)
  list(APPEND packaging_outputs "${man}.gz")
  install(FILES "${man}.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
else()
  message(WARNING "help2man (package help2man) not found: the bonsai-cli man page is not built "
                  "or installed; install it (scripts/setup.sh does) for a complete package.")
endif()
if(packaging_outputs)
  add_custom_target(bonsai_packaging_files ALL DEPENDS ${packaging_outputs})
endif()

install(DIRECTORY "${PROJECT_SOURCE_DIR}/resources/examples/"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/bonsai/examples" USE_SOURCE_PERMISSIONS)

set(CPACK_PACKAGE_NAME bonsai)
set(CPACK_PACKAGE_VENDOR "Bonsai")
set(CPACK_PACKAGE_CONTACT "Bonsai developers <bonsai@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "desktop studio for hyperparameter optimization and neural architecture search")
set(CPACK_PACKAGE_DESCRIPTION
    "Bonsai defines a search space in forms, runs Bayesian optimization, TPE, evolution or "
    "NSGA-II on a worker thread, shows the search live and stores every study in SQLite. "
    "bonsai-cli runs the same studies headless and imports and exports Optuna studies.")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # bonsai_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The Python of command objectives is the user's; the icon cache triggers
# come from the desktop, not from us.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3")
include(CPack)
