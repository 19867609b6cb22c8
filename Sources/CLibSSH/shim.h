#ifndef CAPSTAN_CLIBSSH_SHIM_H
#define CAPSTAN_CLIBSSH_SHIM_H
// libssh's session, channel, callback and SFTP APIs, as shipped by Debian's libssh-dev.
#include <libssh/libssh.h>
#include <libssh/callbacks.h>
#include <libssh/sftp.h>
#include <fcntl.h>

// glibc declares pipe2 only under _GNU_SOURCE, which Swift's Glibc module is built without.
int pipe2(int pipefd[2], int flags);

/// Creates a pipe whose both ends are close-on-exec from the start, so a child spawned by another
/// thread at the same moment cannot inherit them (and hold a write end open, hiding end of file).
static inline int capstan_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
#endif
