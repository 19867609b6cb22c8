#ifndef CAPSTAN_CLIBSSH_SHIM_H
#define CAPSTAN_CLIBSSH_SHIM_H
// libssh's session, channel, callback and SFTP APIs, as shipped by Debian's libssh-dev.
#include <libssh/libssh.h>
#include <libssh/callbacks.h>
#include <libssh/sftp.h>
#endif
