# Runs at install time (install(CODE) in cmake/install.cmake), when the real prefix is known:
# `cmake --install --prefix`, `make install PREFIX=...` and CPack's /usr all give units whose
# ExecStart names the installed binary. Writes the systemd units and the settings file
# (/etc/default/instctl for the /usr prefix, PREFIX/etc/default/instctl otherwise), under DESTDIR.
# Needs INSTCTL_PACKAGING_DIR (packaging/systemd).
set(prefix "${CMAKE_INSTALL_PREFIX}")
set(BINDIR "${prefix}/bin")
if(prefix STREQUAL "/usr")
  set(SYSCONFDIR "/etc")
else()
  set(SYSCONFDIR "${prefix}/etc")
endif()

function(instctl_install_generated path content)
  set(dest "$ENV{DESTDIR}${path}")
  message(STATUS "Installing: ${dest}")
  file(WRITE "${dest}.tmp" "${content}")
  file(COPY_FILE "${dest}.tmp" "${dest}")
  file(REMOVE "${dest}.tmp")
  file(CHMOD "${dest}" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${dest}")
  set(CMAKE_INSTALL_MANIFEST_FILES "${CMAKE_INSTALL_MANIFEST_FILES}" PARENT_SCOPE)
endfunction()

file(READ "${INSTCTL_PACKAGING_DIR}/common.conf" COMMON)
string(CONFIGURE "${COMMON}" COMMON @ONLY)
set(unit_dir "${prefix}/lib/systemd/system")
file(MAKE_DIRECTORY "$ENV{DESTDIR}${unit_dir}" "$ENV{DESTDIR}${SYSCONFDIR}/default")
foreach(unit instctl.service instctl-waitlist.service instctl-deliver.service
             instctl-subscriptions.service)
  file(READ "${INSTCTL_PACKAGING_DIR}/${unit}.in" text)
  string(CONFIGURE "${text}" text @ONLY)
  instctl_install_generated("${unit_dir}/${unit}" "${text}")
endforeach()
foreach(timer instctl-waitlist.timer instctl-deliver.timer instctl-subscriptions.timer)
  file(READ "${INSTCTL_PACKAGING_DIR}/${timer}" text)
  instctl_install_generated("${unit_dir}/${timer}" "${text}")
endforeach()
# The settings file is the admin's: an existing one is kept.
if(EXISTS "$ENV{DESTDIR}${SYSCONFDIR}/default/instctl")
  message(STATUS "Keeping: $ENV{DESTDIR}${SYSCONFDIR}/default/instctl")
else()
  file(READ "${INSTCTL_PACKAGING_DIR}/instctl.default" text)
  instctl_install_generated("${SYSCONFDIR}/default/instctl" "${text}")
endif()
