#ifndef CAPSTAN_CLIBSSH_SHIM_H
#define CAPSTAN_CLIBSSH_SHIM_H
// libssh's session, channel, callback and SFTP APIs, as shipped by Debian's libssh-dev.
#include <libssh/libssh.h>
#include <libssh/callbacks.h>
#include <libssh/sftp.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

// Declared in libssh/server.h, but a client may send it too: a global request that wants a reply
// (OpenSSH's servers answer it with a failure message).
int ssh_send_keepalive(ssh_session session);

/// Milliseconds since the kernel last received data on the TCP socket `fd`, or -1 where unknown:
/// how long the server has been silent, whatever libssh has read of it.
static inline long capstan_tcp_silence_ms(int fd) {
#ifdef __linux__
    struct tcp_info info;
    socklen_t length = sizeof info;
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return -1;
    return (long)info.tcpi_last_data_recv;
#else
    (void)fd;
    return -1;
#endif
}

// glibc declares pipe2 only under _GNU_SOURCE, which Swift's Glibc module is built without.
int pipe2(int pipefd[2], int flags);

/// Creates a pipe whose both ends are close-on-exec from the start, so a child spawned by another
/// thread at the same moment cannot inherit them (and hold a write end open, hiding end of file).
static inline int capstan_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
#endif
