/* Asking tmux for one of its global options without holding the loop. */
#ifndef SITECARE_TUI_TMUX_OPTION_H
#define SITECARE_TUI_TMUX_OPTION_H

struct loop;
struct tmux_option;

/* The answer: the option's value (its first line), or NULL when tmux
 * gave none (not running, failed, silent or too slow). */
typedef void (*tmux_option_cb)(const char *value, void *ud);

/*
 * Runs `tmux show -gv name` as a job on loop; cb is called once, from
 * the loop, within timeout_ms. NULL when tmux cannot be run (then cb is
 * not called). The caller frees the query (cb may do so).
 */
struct tmux_option *tmux_option_ask(struct loop *loop, const char *name,
                                    int timeout_ms, tmux_option_cb cb,
                                    void *ud);

/* Stops asking (kills and reaps tmux); NULL is fine. */
void tmux_option_free(struct tmux_option *q);

#endif
