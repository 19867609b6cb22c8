#ifndef CAPSTAN_CLIBSSH_SHIM_H
#define CAPSTAN_CLIBSSH_SHIM_H
// libssh's session, channel, callback and SFTP APIs, as shipped by Debian's libssh-dev.
#include <libssh/libssh.h>
#include <libssh/callbacks.h>
#include <libssh/sftp.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
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

/// Asks OpenSSL, which libssh loads, to keep its state until the process is gone instead of freeing it
/// from an exit handler: a session thread still encrypting (a keepalive) while the process exits would
/// use freed locks and crash it. Effective only before OpenSSL's first initialisation. Looked up at run
/// time because libcrypto is libssh's dependency, not ours; the handle is glibc's RTLD_DEFAULT (a GNU
/// extension Swift's Glibc module leaves out). Returns 1 on success, 0 otherwise.
static inline int capstan_openssl_keep_state_at_exit(void) {
    typedef int (*openssl_init)(uint64_t, const void *);
    openssl_init init = (openssl_init)dlsym((void *)0, "OPENSSL_init_crypto");
    return init ? init(0x00080000ULL /* OPENSSL_INIT_NO_ATEXIT */, (const void *)0) : 0;
}
#endif
}

// glibc declares pipe2 only under _GNU_SOURCE, which Swift's Glibc module is built without.
int pipe2(int pipefd[2], int flags);

/// Creates a pipe whose both ends are close-on-exec from the start, so a child spawned by another
/// thread at the same moment cannot inherit them (and hold a write end open, hiding end of file).
static inline int capstan_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

/// Asks OpenSSL, which libssh loads, to keep its state until the process is gone instead of freeing it
/// from an exit handler: a session thread still encrypting (a keepalive) while the process exits would
/// use freed locks and crash it. Effective only before OpenSSL's first initialisation. Looked up at run
/// time because libcrypto is libssh's dependency, not ours; the handle is glibc's RTLD_DEFAULT (a GNU
/// extension Swift's Glibc module leaves out). Returns 1 on success, 0 otherwise.
static inline int capstan_openssl_keep_state_at_exit(void) {
    typedef int (*openssl_init)(uint64_t, const void *);
    openssl_init init = (openssl_init)dlsym((void *)0, "OPENSSL_init_crypto");
    return init ? init(0x00080000ULL /* OPENSSL_INIT_NO_ATEXIT */, (const void *)0) : 0;
}
#endif
