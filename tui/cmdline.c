/* GNU readline's callback interface, fed keys and drawn in curses. */
#include "tui/cmdline.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "net/base/paths.h"
#include "net/base/utf8.h"
#include "net/base/xmalloc.h"
#include "tui/sanitize.h"
#include "tui/theme.h"

/* Where completion words break: readline's word is what follows. */
#define WORD_BREAKS " \t=,"

/* One kind's history, oldest first; readline gets a copy on open. */
struct cmdline_history {
	char **lines;
	size_t n;
};

/*
 * The line editor. Readline reads bytes through queue_getc(): each key
 * fed is turned into the bytes a terminal would send (UTF-8, ESC [ A for
 * Up, ESC x for M-x) and queued, then rl_callback_read_char() runs until
 * the queue is empty, so readline never waits for input it cannot have.
 * Readline's histories are global too, so every kind keeps its own list
 * here and readline's list is rebuilt from it when a line opens (edits
 * made while browsing history are dropped with the line, as they should).
 */
struct cmdline {
	bool active;
	bool dirty;
	enum cmdline_kind kind;
	enum cmdline_result result; /* set by on_line() */
	char *prompt;
	char *taken;  /* the submitted line until cmdline_take() */
	char *hint;   /* sanitised completion list, or NULL */
	int scroll;   /* display columns of text hidden on the left */
	bool alert;   /* draw the prompt in the alert colour */
	bool ctl_x;   /* the last key was C-x: C-e now goes to $EDITOR */
	bool quoting; /* the last key was quoted-insert's: the next is text */
	unsigned char queue[16];
	size_t qhead, qlen;
	struct cmdline_history hist[CMDLINE_KIND_COUNT];
	struct {
		cmdline_complete_fn fn;
		void *ud;
	} comp[CMDLINE_KIND_COUNT];
};

/* Readline's hooks take no user pointer: this is the one cmdline. */
static struct cmdline *the_cmdline;
static FILE *devnull;

/* Candidates handed to readline one by one by completion_next(). */
static char **completion_words;
static size_t completion_index;

static int
queue_getc(FILE *f)
{
	struct cmdline *cl = the_cmdline;

	if (cl == NULL || cl->qlen == 0)
		return EOF;
	cl->qlen--;
	return cl->queue[cl->qhead++];
}

static int
queue_available(void)
{
	return the_cmdline != NULL && the_cmdline->qlen > 0;
}

static void
queue_put(struct cmdline *cl, const char *bytes, size_t n)
{
	if (cl->qlen == 0)
		cl->qhead = 0;
	if (cl->qhead + cl->qlen + n > sizeof cl->queue)
		return;
	memcpy(cl->queue + cl->qhead + cl->qlen, bytes, n);
	cl->qlen += n;
}

/* Readline's redisplay: only note that cmdline_draw() has work. */
static void
note_redisplay(void)
{
	if (the_cmdline != NULL)
		the_cmdline->dirty = true;
}

/* The terminal belongs to curses: readline must not change its modes. */
static void
prep_nothing(int meta)
{
}

static void
deprep_nothing(void)
{
}

/* The escape sequence readline knows for a special key, or NULL. */
static const char *
special_sequence(key_code key)
{
	switch (key) {
	case KEYC_UP:
		return "\033[A";
	case KEYC_DOWN:
		return "\033[B";
	case KEYC_RIGHT:
		return "\033[C";
	case KEYC_LEFT:
		return "\033[D";
	case KEYC_HOME:
		return "\033[H";
	case KEYC_END:
		return "\033[F";
	case KEYC_DELETE:
		return "\033[3~";
	case KEYC_LEFT | KEYC_META:
		return "\033b";
	case KEYC_RIGHT | KEYC_META:
		return "\033f";
	default:
		return NULL;
	}
}

/*
 * Queues the bytes a terminal sends for key. Returns false for keys
 * readline has no use for (F-keys, PgUp), which are then ignored rather
 * than inserted as stray sequence bytes.
 */
static bool
queue_key(struct cmdline *cl, key_code key)
{
	key_code base = key & ~KEYC_META;
	const char *seq = special_sequence(key);
	char buf[8];
	size_t n = 0;

	if (seq != NULL) {
		queue_put(cl, seq, strlen(seq));
		return true;
	}
	if (base == 0 || base > 0x10FFFF || (base >= 0xD800 && base < 0xE000))
		return false;
	if (key & KEYC_META)
		buf[n++] = '\033';
	n += utf8_encode(base, buf + n);
	queue_put(cl, buf, n);
	return true;
}

/*
 * Frees the undo lists readline hangs on history entries it edited.
 * Called with no line open, when rl_undo_list belongs to no line.
 */
static void
history_drop_edits(void)
{
	HIST_ENTRY **list = history_list();
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL; i++) {
		if (list[i]->data == NULL)
			continue;
		rl_undo_list = (UNDO_LIST *)list[i]->data;
		rl_free_undo_list(); /* also clears list[i]->data */
	}
}

/* Makes readline's history a copy of h. */
static void
history_give(const struct cmdline_history *h)
{
	size_t i;

	history_drop_edits();
	clear_history();
	for (i = 0; i < h->n; i++)
		add_history(h->lines[i]);
	using_history();
}

/* Appends line to h unless empty or a repeat; drops the oldest past max. */
static void
history_push(struct cmdline_history *h, const char *line)
{
	if (line[0] == '\0')
		return;
	if (h->n > 0 && strcmp(h->lines[h->n - 1], line) == 0)
		return;
	if (h->n == CMDLINE_HISTORY_MAX) {
		free(h->lines[0]);
		memmove(h->lines, h->lines + 1, --h->n * sizeof *h->lines);
	}
	h->lines = xreallocarray(h->lines, h->n + 1, sizeof *h->lines);
	h->lines[h->n++] = xstrdup(line);
}

static void
history_clear(struct cmdline_history *h)
{
	while (h->n > 0)
		free(h->lines[--h->n]);
	free(h->lines);
	h->lines = NULL;
}

/* Readline's line handler: Enter (line) or C-d on an empty line (NULL). */
static void
on_line(char *line)
{
	struct cmdline *cl = the_cmdline;

	rl_callback_handler_remove();
	cl->active = false;
	cl->dirty = true;
	if (line == NULL) {
		cl->result = CMDLINE_CANCELLED;
		return;
	}
	history_push(&cl->hist[cl->kind], line);
	free(cl->taken);
	cl->taken = line;
	cl->result = CMDLINE_SUBMITTED;
}

/* Hands the caller's candidates to rl_completion_matches() one by one. */
static char *
completion_next(const char *text, int state)
{
	if (completion_words == NULL ||
	    completion_words[completion_index] == NULL)
		return NULL;
	return completion_words[completion_index++];
}

/* True when s ends in a character that expects more after it. */
static bool
ends_open(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && (s[n - 1] == '=' || s[n - 1] == ',');
}

/* Readline's completion entry: asks the kind's completer, never files. */
static char **
attempt_completion(const char *text, int start, int end)
{
	struct cmdline *cl = the_cmdline;
	char **matches;

	rl_attempted_completion_over = 1;
	if (cl == NULL || cl->comp[cl->kind].fn == NULL)
		return NULL;
	completion_words = cl->comp[cl->kind].fn(cl->comp[cl->kind].ud,
	                                         rl_line_buffer, start, end);
	completion_index = 0;
	if (completion_words == NULL)
		return NULL;
	matches = rl_completion_matches(text, completion_next);
	while (completion_words[completion_index] != NULL)
		free(completion_words[completion_index++]);
	free(completion_words);
	completion_words = NULL;
	if (matches != NULL && matches[1] == NULL && ends_open(matches[0]))
		rl_completion_suppress_append = 1;
	return matches;
}

/* Readline's list of completions: kept as a hint for cmdline_draw(). */
static void
show_matches(char **matches, int n, int max_length)
{
	struct cmdline *cl = the_cmdline;
	size_t len = 0, cap = 256;
	char *list;
	int i;

	if (cl == NULL)
		return;
	list = xmalloc(cap);
	list[0] = '\0';
	for (i = 1; i <= n && len < cap - 1; i++) {
		snprintf(list + len, cap - len, "%s%s", i > 1 ? " " : "",
		         matches[i]);
		len += strlen(list + len);
	}
	free(cl->hint);
	cl->hint = sanitize_str(list, SANITIZE_TABS_AS_SPACE);
	free(list);
	cl->dirty = true;
}

/* Binds the sequences queue_key() sends, unless the user's inputrc did. */
static void
bind_sequences(void)
{
	static const struct {
		const char *seq;
		rl_command_func_t *fn;
	} seqs[] = {
		{ "\033[A", rl_get_previous_history },
		{ "\033[B", rl_get_next_history },
		{ "\033[C", rl_forward_char },
		{ "\033[D", rl_backward_char },
		{ "\033[H", rl_beg_of_line },
		{ "\033[F", rl_end_of_line },
		{ "\033[3~", rl_delete },
	};
	size_t i;

	for (i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
		rl_bind_keyseq_if_unbound_in_map(seqs[i].seq, seqs[i].fn,
		                                 emacs_standard_keymap);
		rl_bind_keyseq_if_unbound_in_map(seqs[i].seq, seqs[i].fn,
		                                 vi_insertion_keymap);
	}
}

/*
 * Points readline's input, output and terminal handling at us before it
 * initialises: with a redisplay function of its own, readline skips
 * tgetent(), which would otherwise replace curses' terminal.
 */
static void
readline_setup(void)
{
	if (devnull == NULL && (devnull = fopen("/dev/null", "r+")) == NULL)
		abort();
	rl_instream = devnull;
	rl_outstream = devnull;
	rl_readline_name = "sitecare";
	rl_getc_function = queue_getc;
	rl_input_available_hook = queue_available;
	rl_redisplay_function = note_redisplay;
	rl_prep_term_function = prep_nothing;
	rl_deprep_term_function = deprep_nothing;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_attempted_completion_function = attempt_completion;
	rl_completion_display_matches_hook = show_matches;
	rl_completer_word_break_characters = WORD_BREAKS;
	rl_initialize();
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("enable-bracketed-paste", "off");
	bind_sequences();
}

struct cmdline *
cmdline_new(void)
{
	struct cmdline *cl;

	if (the_cmdline != NULL)
		abort(); /* readline's state is global: one editor only */
	cl = xcalloc(1, sizeof *cl);
	the_cmdline = cl;
	readline_setup();
	return cl;
}

/* Ends the open line wherever readline is in it (even mid-search). */
static void
cancel_line(struct cmdline *cl)
{
	rl_callback_sigcleanup();
	rl_free_line_state();
	rl_callback_handler_remove();
	cl->active = false;
	cl->result = CMDLINE_CANCELLED;
	cl->dirty = true;
}

void
cmdline_free(struct cmdline *cl)
{
	int k;

	if (cl == NULL)
		return;
	if (cl->active)
		cancel_line(cl);
	history_drop_edits();
	clear_history();
	for (k = 0; k < CMDLINE_KIND_COUNT; k++)
		history_clear(&cl->hist[k]);
	free(cl->prompt);
	free(cl->taken);
	free(cl->hint);
	free(cl);
	the_cmdline = NULL;
}

void
cmdline_open(struct cmdline *cl, enum cmdline_kind kind, const char *prompt,
             const char *initial)
{
	if (cl->active)
		cancel_line(cl);
	free(cl->taken);
	cl->taken = NULL;
	free(cl->hint);
	cl->hint = NULL;
	free(cl->prompt);
	cl->prompt = xstrdup(prompt != NULL ? prompt : "");
	cl->kind = kind;
	cl->scroll = 0;
	cl->qlen = 0;
	cl->alert = false;
	cl->ctl_x = false;
	cl->quoting = false;
	history_give(&cl->hist[kind]);
	cl->active = true;
	cl->result = CMDLINE_EDITING;
	rl_callback_handler_install(cl->prompt, on_line);
	if (initial != NULL && initial[0] != '\0')
		rl_insert_text(initial);
	cl->dirty = true;
}

void
cmdline_alert(struct cmdline *cl, bool alert)
{
	cl->alert = alert;
	cl->dirty = true;
}

void
cmdline_insert(struct cmdline *cl, const char *text)
{
	if (!cl->active || text == NULL || text[0] == '\0')
		return;
	rl_insert_text(text);
	cl->dirty = true;
}

void
cmdline_close(struct cmdline *cl)
{
	if (cl->active)
		cancel_line(cl);
}

/* Escape and C-g end a C-r search inside readline; else they cancel. */
static bool
cancels(key_code key)
{
	if (key == 0x03)
		return true;
	if (key != KEYC_ESCAPE && key != 0x07)
		return false;
	return !RL_ISSTATE(RL_STATE_ISEARCH | RL_STATE_NSEARCH);
}

/*
 * C-x C-e hands the text to $EDITOR, as in bash; readline's own C-x
 * bindings still work for every other second key. The first C-x is held
 * back until the second key says which it is.
 */
static bool
to_editor(struct cmdline *cl, key_code key)
{
	bool after_x = cl->ctl_x;

	cl->ctl_x = key == 0x18 && !after_x;
	if (cl->ctl_x)
		return false;
	if (after_x && key == 0x05) {
		cl->taken =
		    xstrdup(rl_line_buffer != NULL ? rl_line_buffer : "");
		cancel_line(cl);
		cl->result = CMDLINE_TO_EDITOR;
		return true;
	}
	if (after_x)
		queue_key(cl, 0x18);
	return false;
}

/* True when key is bound to quoted-insert (C-v, unless ~/.inputrc says
 * otherwise): readline then takes the next key as it is. */
static bool
quotes_next(key_code key)
{
	char seq[2] = { (char)key, '\0' };

	return key > 0 && key < 0x20 &&
	       rl_function_of_keyseq(seq, NULL, NULL) == rl_quoted_insert;
}

/* Lets readline read the queued bytes. */
static enum cmdline_result
pump(struct cmdline *cl)
{
	while (cl->active && cl->qlen > 0)
		rl_callback_read_char();
	cl->qlen = 0;
	return cl->active ? CMDLINE_EDITING : cl->result;
}

enum cmdline_result
cmdline_feed(struct cmdline *cl, key_code key)
{
	if (!cl->active)
		return CMDLINE_CANCELLED;
	free(cl->hint);
	cl->hint = NULL;
	cl->dirty = true;
	/* After C-v (quoted-insert) even Escape is text for readline. */
	if (cl->quoting) {
		cl->quoting = false;
		if (queue_key(cl, key))
			return pump(cl);
		return CMDLINE_EDITING;
	}
	if (cancels(key)) {
		cancel_line(cl);
		return CMDLINE_CANCELLED;
	}
	if (to_editor(cl, key))
		return CMDLINE_TO_EDITOR;
	cl->quoting = quotes_next(key);
	/* M-Enter: a newline inside a reply or a note, as in chat apps. */
	if (key == (KEYC_META | KEYC_ENTER) &&
	    (cl->kind == CMDLINE_REPLY || cl->kind == CMDLINE_COMMENT)) {
		rl_insert_text("\n");
		return CMDLINE_EDITING;
	}
	if (!queue_key(cl, key))
		return CMDLINE_EDITING;
	return pump(cl);
}

char *
cmdline_take(struct cmdline *cl)
{
	char *line = cl->taken;

	cl->taken = NULL;
	return line;
}

bool
cmdline_active(const struct cmdline *cl)
{
	return cl->active;
}

enum cmdline_kind
cmdline_kind(const struct cmdline *cl)
{
	return cl->kind;
}

const char *
cmdline_text(const struct cmdline *cl)
{
	return cl->active && rl_line_buffer != NULL ? rl_line_buffer : "";
}

int
cmdline_cursor(const struct cmdline *cl)
{
	return cl->active ? rl_point : 0;
}

const char *
cmdline_hint(const struct cmdline *cl)
{
	return cl->hint;
}

bool
cmdline_dirty(const struct cmdline *cl)
{
	return cl->dirty;
}

void
cmdline_drawn(struct cmdline *cl)
{
	cl->dirty = false;
}

void
cmdline_set_completer(struct cmdline *cl, enum cmdline_kind kind,
                      cmdline_complete_fn fn, void *ud)
{
	cl->comp[kind].fn = fn;
	cl->comp[kind].ud = ud;
}

/*
 * The byte offset of the first character of s that starts at or after
 * column col; *pad gets the columns of a wide character cut by col.
 */
static size_t
skip_columns(const char *s, int col, int *pad)
{
	mbstate_t st;
	wchar_t wc;
	size_t off, n;
	int used, w;

	*pad = 0;
	off = sanitize_prefix(s, col, &used);
	if (used >= col || s[off] == '\0')
		return off;
	memset(&st, 0, sizeof st);
	n = mbrtowc(&wc, s + off, strlen(s + off), &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
		return off + 1;
	w = wcwidth(wc);
	*pad = used + (w > 0 ? w : 0) - col;
	return off + n;
}

/* Keeps the cursor column cx inside a view room columns wide. */
static void
scroll_to(struct cmdline *cl, int cx, int text_width, int room)
{
	if (cx < cl->scroll)
		cl->scroll = cx;
	if (cx - cl->scroll > room - 1)
		cl->scroll = cx - (room - 1);
	if (cl->scroll > 0 && text_width - cl->scroll < room - 1) {
		cl->scroll = text_width - (room - 1);
		if (cl->scroll < 0)
			cl->scroll = 0;
	}
}

/* Draws text from column cl->scroll on, room columns wide, at x. */
static void
draw_text(struct cmdline *cl, WINDOW *w, int x, const char *text, int room)
{
	int pad, used;
	size_t off = skip_columns(text, cl->scroll, &pad), n;

	wmove(w, 0, x);
	for (; pad > 0 && room > 0; pad--, room--)
		waddch(w, ' ');
	n = sanitize_prefix(text + off, room, &used);
	waddnstr(w, text + off, (int)n);
}

/* The prompt to show now: readline's own during a C-r search. */
static char *
current_prompt(const struct cmdline *cl, int width)
{
	const char *p = cl->prompt;
	char *s;
	int used;

	if (RL_ISSTATE(RL_STATE_ISEARCH) && rl_display_prompt != NULL)
		p = rl_display_prompt;
	s = sanitize_str(p, SANITIZE_TABS_AS_SPACE);
	if (sanitize_width(s) > width / 2)
		s[sanitize_prefix(s, width / 2, &used)] = '\0';
	return s;
}

void
cmdline_draw(struct cmdline *cl, void *win, int width)
{
	WINDOW *w = win;
	char *prompt, *text, *before;
	int pw, tw, cx, room, used;

	cl->dirty = false;
	werase(w);
	if (!cl->active || width <= 0)
		return;
	prompt = current_prompt(cl, width);
	text = sanitize(rl_line_buffer, (size_t)rl_end, 0);
	before = sanitize(rl_line_buffer, (size_t)rl_point, 0);
	pw = sanitize_width(prompt);
	tw = sanitize_width(text);
	cx = sanitize_width(before);
	room = width - pw > 1 ? width - pw : 1;
	scroll_to(cl, cx, tw, room);
	if (cl->alert)
		wattrset(w, (attr_t)theme_attr(THEME_ERROR) | A_BOLD);
	mvwaddstr(w, 0, 0, prompt);
	wattrset(w, A_NORMAL);
	draw_text(cl, w, pw, text, room);
	if (cl->hint != NULL && cl->scroll == 0 && pw + tw + 2 < width) {
		wattron(w, A_DIM);
		wmove(w, 0, pw + tw + 2);
		waddnstr(
		    w, cl->hint,
		    (int)sanitize_prefix(cl->hint, width - pw - tw - 2, &used));
		wattroff(w, A_DIM);
	}
	wmove(w, 0, pw + cx - cl->scroll);
	free(prompt);
	free(text);
	free(before);
}

/* Refuses kinds whose lines must never reach the disk. */
static bool
disk_allowed(enum cmdline_kind kind, struct sc_error *err)
{
	if (kind == CMDLINE_COMMAND || kind == CMDLINE_SEARCH)
		return true;
	sc_error_set(err, SC_ERR_LOCAL,
	             "replies and comments are kept in memory only");
	return false;
}

int
cmdline_history_load(struct cmdline *cl, enum cmdline_kind kind,
                     const char *path, struct sc_error *err)
{
	struct cmdline_history *h = &cl->hist[kind];
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int rc = 0;

	if (!disk_allowed(kind, err))
		return -1;
	history_clear(h);
	if ((f = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		sc_error_set(err, SC_ERR_LOCAL, "cannot read %s: %s", path,
		             strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		history_push(h, line);
	}
	if (ferror(f)) {
		sc_error_set(err, SC_ERR_LOCAL, "cannot read %s", path);
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}

int
cmdline_history_save(struct cmdline *cl, enum cmdline_kind kind,
                     const char *path, struct sc_error *err)
{
	const struct cmdline_history *h = &cl->hist[kind];
	size_t i, len = 0, n;
	char *buf;
	int rc;

	if (!disk_allowed(kind, err))
		return -1;
	for (i = 0; i < h->n; i++)
		len += strlen(h->lines[i]) + 1;
	buf = xmalloc(len + 1);
	len = 0;
	for (i = 0; i < h->n; i++) {
		if (strpbrk(h->lines[i], "\r\n") != NULL)
			continue; /* one entry a line: a pasted newline cannot
			           */
		n = strlen(h->lines[i]);
		memcpy(buf + len, h->lines[i], n);
		buf[len + n] = '\n';
		len += n + 1;
	}
	rc = paths_write_atomic(path, buf, len, 0600, err);
	free(buf);
	return rc;
}
