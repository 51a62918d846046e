/* An opt-in timing trace, for `make bench`: SITECARE_TRACE=FILE. */
#ifndef SITECARE_NET_TRACE_H
#define SITECARE_NET_TRACE_H

/*
 * When the environment names a file in SITECARE_TRACE, one line is
 * appended to it per traced moment: monotonic milliseconds (with
 * microseconds) and an event ("frame", "http GET /tasks 200 bytes=812
 * connects=0"). The benchmark reads it to tell when data arrived and
 * when the frame that showed it was drawn, and how many connections
 * (TLS handshakes) a session made. Nothing secret is ever traced: no
 * bodies, no query strings, no message text. Off (and free) otherwise.
 * Like tmux's log.c, the open file is the module's one static: a
 * diagnostic switch for the whole process, not application state.
 */
void trace_open_env(void);
void trace_close(void);
/* True when tracing is on (to skip building a line for nothing). */
int trace_on(void);
/*
 * True when SITECARE_TRACE_DETAIL is set too: the trace then also carries
 * each request's start and end, libcurl's own informational lines (which
 * connection a request went on, what the server did to it) and the name
 * of each action run, for finding a request that never finished or a
 * key that went astray. The terminal tests turn it on. Never a header,
 * a cookie, a key pressed or an action's argument.
 */
int trace_detail_on(void);
void trace_event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
