/* Every action sitecare can do, by name: keys and `:` commands map here. */
#ifndef SITECARE_KEYMAPS_ACTION_H
#define SITECARE_KEYMAPS_ACTION_H

#include <stdbool.h>

#include "keymaps/key.h"

/*
 * The one list of actions (vis' KEY_ACTION_LIST): it generates the enum,
 * the name table, the help text and whether the action changes anything
 * on the server (such actions are refused under --readonly). Adding an
 * action here makes it bindable and a `:` command at once.
 */
#define ACTION_LIST                                                            \
	X(ACTION_NONE, "none", 0, "Do nothing (unbinds a key)")                \
	X(ACTION_QUIT, "quit", 0, "Quit sitecare")                             \
	X(ACTION_HELP, "help", 0, "Show the keys and commands of this pane")   \
	X(ACTION_COMMAND_LINE, "command-line", 0, "Type a : command")          \
	X(ACTION_REDRAW, "redraw", 0, "Redraw the whole screen")               \
	X(ACTION_SUSPEND, "suspend", 0, "Suspend to the shell (fg resumes)")   \
	X(ACTION_TAB_NEXT, "tab-next", 0, "Go to the next pane")               \
	X(ACTION_TAB_PREV, "tab-prev", 0, "Go to the previous pane")           \
	X(ACTION_TAB_TASKS, "tab-tasks", 0, "Go to the task queue")            \
	X(ACTION_TAB_CHAT, "tab-chat", 0, "Go to client chat")                 \
	X(ACTION_TAB_CREDENTIALS, "tab-credentials", 0,                        \
	  "Go to site credentials")                                            \
	X(ACTION_TAB_BILLING, "tab-billing", 0, "Go to billing")               \
	X(ACTION_NEXT_ATTENTION, "next-attention", 0,                          \
	  "Jump to the next item needing attention, across panes")             \
	X(ACTION_NEXT_UNREAD, "next-unread", 0,                                \
	  "Open the next conversation with unread messages (Chat)")            \
	X(ACTION_DOWN, "down", 0, "Move down one row")                         \
	X(ACTION_UP, "up", 0, "Move up one row")                               \
	X(ACTION_PAGE_DOWN, "page-down", 0, "Move down one page")              \
	X(ACTION_PAGE_UP, "page-up", 0, "Move up one page")                    \
	X(ACTION_HALF_DOWN, "half-page-down", 0, "Move down half a page")      \
	X(ACTION_HALF_UP, "half-page-up", 0, "Move up half a page")            \
	X(ACTION_TOP, "top", 0, "Go to the first row")                         \
	X(ACTION_BOTTOM, "bottom", 0, "Go to the last row")                    \
	X(ACTION_OPEN, "open", 0, "Open the selected item")                    \
	X(ACTION_BACK, "back", 0, "Close the detail view or cancel")           \
	X(ACTION_SEARCH, "search", 0, "Search (server-side, highlighted)")     \
	X(ACTION_SEARCH_NEXT, "search-next", 0, "Next search match")           \
	X(ACTION_SEARCH_PREV, "search-prev", 0, "Previous search match")       \
	X(ACTION_FILTER, "filter", 0, "Filter the list (e.g. status=new)")     \
	X(ACTION_SORT, "sort", 0, "Sort the list (e.g. -priority)")            \
	X(ACTION_REFRESH, "refresh", 0, "Fetch the list again")                \
	X(ACTION_SUBMIT, "submit", 0, "Submit the form or line")               \
	X(ACTION_NEXT_FIELD, "next-field", 0, "Go to the next form field")     \
	X(ACTION_PREV_FIELD, "prev-field", 0, "Go to the previous form field") \
	X(ACTION_MOUSE, "mouse", 0, "Turn mouse support on or off")            \
	X(ACTION_HINTS, "hints", 0,                                            \
	  "Show or hide the hint bar above the status line: :hints on|off")    \
	X(ACTION_CHECKHEALTH, "checkhealth", 0,                                \
	  "Show what the client found and whether it works")                   \
	X(ACTION_MESSAGES, "messages", 0,                                      \
	  "Show every message of this session in full, newest last")           \
	X(ACTION_MARK, "mark", 0, "Mark or unmark the task, then go down")     \
	X(ACTION_MARK_RANGE, "mark-range", 0,                                  \
	  "Mark every task from the last marked one to this one")              \
	X(ACTION_UNMARK_ALL, "unmark-all", 0, "Clear every mark")              \
	X(ACTION_ASSIGN_ME, "assign-me", 1,                                    \
	  "Take the task (or the marked ones): assign to me")                  \
	X(ACTION_ASSIGN, "assign", 1,                                          \
	  "Assign to someone else: a picker, or :assign me|none|ID|NAME")      \
	X(ACTION_UNASSIGN, "unassign", 1, "Assign to nobody")                  \
	X(ACTION_SET_STATUS, "status", 1,                                      \
	  "Set the status: a picker, or :status done")                         \
	X(ACTION_SET_PRIORITY, "priority", 1,                                  \
	  "Set the priority: a picker, or :priority urgent")                   \
	X(ACTION_UNDO, "undo", 1,                                              \
	  "Undo the last assign, status or priority change (for 10 s)")        \
	X(ACTION_NOTE, "note", 1,                                              \
	  "Add an internal note (staff only); C-x C-e finishes in $EDITOR")    \
	X(ACTION_NOTE_EDITOR, "note-editor", 1,                                \
	  "Write an internal note in $EDITOR")                                 \
	X(ACTION_REPLY_CLIENT, "reply-client", 1,                              \
	  "Comment that the CLIENT sees; C-x C-e finishes in $EDITOR")         \
	X(ACTION_REPLY_CLIENT_EDITOR, "reply-client-editor", 1,                \
	  "Write a comment the client sees in $EDITOR")                        \
	X(ACTION_SAVE_ATTACHMENT, "save-attachment", 0,                        \
	  "Save an attachment of the open task: :save-attachment [N] [PATH]")  \
	X(ACTION_REPLY, "reply", 1,                                            \
	  "Reply in the open conversation; M-Enter adds a line")               \
	X(ACTION_REPLY_EDITOR, "reply-editor", 1,                              \
	  "Write a reply to the open conversation in $EDITOR")                 \
	X(ACTION_MUTE, "mute", 0,                                              \
	  "Mute or unmute the conversation's notifications")                   \
	X(ACTION_CLIENT_TASKS, "client-tasks", 0,                              \
	  "Show the selected client's tasks")                                  \
	X(ACTION_CLIENT_CHAT, "client-chat", 0,                                \
	  "Open the selected client's conversation")                           \
	X(ACTION_EXPORT, "export", 0,                                          \
	  "Write the list as CSV: :export subscriptions|invoices [FILE]")      \
	X(ACTION_CLIENT_CREDENTIALS, "client-credentials", 0,                  \
	  "Show the selected client's site credentials")                       \
	X(ACTION_COPY, "copy", 0,                                              \
	  "Copy the revealed password to the clipboard for 30 s")              \
	X(ACTION_KEYGEN, "keygen", 1,                                          \
	  "Make and register your staff key for revealing credentials")        \
	X(ACTION_REGISTER_KEY, "register-key", 1,                              \
	  "Register this machine's staff key again (asks your password)")      \
	X(ACTION_LOCK_KEY, "lock-key", 0,                                      \
	  "Lock the unlocked staff key now (the passphrase is asked again)")   \
	X(ACTION_TOGGLE_VIEW, "toggle-view", 0,                                \
	  "Switch between a pane's two lists (Billing: subscriptions, "        \
	  "invoices)")

enum action {
#define X(id, name, changes, help) id,
	ACTION_LIST
#undef X
	    ACTION_COUNT
};

/* The action's name ("page-down"), or NULL for an out-of-range value. */
const char *action_name(enum action a);

/* The action's one-line help. */
const char *action_help(enum action a);

/* True when the action changes something on the server. */
bool action_changes(enum action a);

/* The action called name, or -1. */
int action_from_name(const char *name);

/* The movement a fixed key means in any scrolling widget (arrows,
 * PgUp/PgDn, Home, End), or ACTION_NONE. */
enum action action_of_motion_key(key_code key);

#endif
