/* cqaword.h - the asker's words as an answer repeats them: the parts of
 * a generated cqa question (cqa.grammar COMMUNITY.snag, .tried, .goal)
 * are written in the asker's voice ("a ticket I believe was wrong"); the
 * answers quote them back to the asker ("a ticket you believe was
 * wrong"). Nothing here allocates. */
#ifndef PF_GEN_CQAWORD_H
#define PF_GEN_CQAWORD_H

#include <stddef.h>

/* s with the first person turned to the second, whole words only, the
 * first entry that matches winning: "I am" -> "you are", "I was" ->
 * "you were", "I" and "me" -> "you", "my" -> "your", "our" -> "your",
 * "myself" -> "yourself", "mine" -> "yours", "I'm" -> "you're", "I've"
 * -> "you've", "I'd" -> "you'd" ("My" -> "Your"). Writes at most n
 * bytes (n > 0) into out, NUL-terminated, cut when it does not fit. */
void cqa_word_second_person(const char *s, char *out, size_t n);

#endif
