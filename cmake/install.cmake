# Installation (cmake --install, make install PREFIX=... DESTDIR=...) and the Debian package
# (make deb). Paths follow the FHS and where bash-completion, zsh, fish and systemd look.
include(GNUInstallDirs)

install(TARGETS instctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Man pages, compressed as Debian ships them (gzip -n: no name or time, reproducible).
file(GLOB INSTCTL_MAN_PAGES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/man/*.1)
set(INSTCTL_MAN_GZ "")
foreach(page ${INSTCTL_MAN_PAGES})
  get_filename_component(name ${page} NAME)
  set(gz ${CMAKE_BINARY_DIR}/man/${name}.gz)
  add_custom_command(OUTPUT ${gz}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND gzip -9n < ${page} > ${gz}
    DEPENDS ${page} VERBATIM)
  list(APPEND INSTCTL_MAN_GZ ${gz})
endforeach()
add_custom_target(instctl_man ALL DEPENDS ${INSTCTL_MAN_GZ})
install(FILES ${INSTCTL_MAN_GZ} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

install(FILES ${CMAKE_SOURCE_DIR}/completions/instctl.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME instctl)
install(FILES ${CMAKE_SOURCE_DIR}/completions/_instctl
  DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${CMAKE_SOURCE_DIR}/completions/instctl.fish
  DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

# systemd: the units need the final prefix, known only at install time.
install(CODE "set(INSTCTL_PACKAGING_DIR \"${CMAKE_SOURCE_DIR}/packaging/systemd\")
include(\"${CMAKE_SOURCE_DIR}/cmake/install_units.cmake\")")
install(FILES ${CMAKE_SOURCE_DIR}/packaging/systemd/instctl.sysusers
  DESTINATION lib/sysusers.d RENAME instctl.conf)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/systemd/instctl.tmpfiles
  DESTINATION lib/tmpfiles.d RENAME instctl.conf)

install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_SOURCE_DIR}/packaging/proxy/nginx.conf
  ${CMAKE_SOURCE_DIR}/packaging/proxy/nginx-replicas.conf ${CMAKE_SOURCE_DIR}/packaging/proxy/Caddyfile
  ${CMAKE_SOURCE_DIR}/packaging/prometheus/instctl-alerts.yml
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# make deb: a Debian package of the above, installed under /usr.
# `make deb` and `make install` build first; cpack and cmake --install package what is built.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME instctl)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "run an invite-only, Mastodon-compatible instance from the terminal")
set(CPACK_PACKAGE_DESCRIPTION
  "instctl is one binary that manages a small fediverse instance's database (users, invites,\n\
waitlist, moderation reports, federation policy) and serves its HTTP/ActivityPub endpoint,\n\
so Mastodon servers can find, follow and report its users. The package includes man pages,\n\
bash, zsh and fish completions, and systemd units for the server and its timers.")
set(INSTCTL_PACKAGE_MAINTAINER "instctl maintainers <instctl@invalid>" CACHE STRING
  "The Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT "${INSTCTL_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The runtime libraries, with versions, as dpkg-shlibdeps finds them in the binary; passwd for
# useradd on systems without systemd-sysusers (see packaging/debian/postinst).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libcurl and libcrypto are opened at run time (dlopen), so shlibdeps cannot see them.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd, libssl3 (>= 3.0.0), libcurl4 (>= 7.85)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "sqlite3, libpq5, postgresql-client, nginx | caddy")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
  ${CMAKE_SOURCE_DIR}/packaging/debian/prerm
  ${CMAKE_SOURCE_DIR}/packaging/debian/postrm
  ${CMAKE_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
