/* Helpers shared by the model unit tests: single-quoted JSON fixtures. */
#ifndef SITECARE_TESTS_MODEL_TEST_H
#define SITECARE_TESTS_MODEL_TEST_H

#include <stdlib.h>
#include <string.h>

/* The document with single quotes turned into double quotes. */
static inline char *
J(const char *s)
{
	char *out = strdup(s);
	char *p;

	for (p = out; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	return out;
}

/* Defines name(doc, out, err): parser() on the single-quoted doc. */
#define MODEL_TEST_PARSER(name, type, parser)                                  \
	static int name(const char *doc, type *out, struct sc_error *err)      \
	{                                                                      \
		char *text = J(doc);                                           \
		int rc = parser(text, strlen(text), out, err);                 \
                                                                               \
		free(text);                                                    \
		return rc;                                                     \
	}

#endif
