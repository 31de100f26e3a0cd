/* communities.h - the StackExchange communities of SE-PQA, for the cqa
 * stage's generated questions.
 *
 * The names are the 50 non-technical communities SE-PQA was built from
 * (source: github.com/pkasela/SE-PQA, combine_data.py, `all_communities`,
 * commit 500c206b, 2023; read from the file, in its order). The tags and
 * the topic phrase of each community are ours: illustrative tag names for
 * offline questions, not SE-PQA's tag vocabulary, and carry no frequency
 * (every draw from them is uniform).
 */
#ifndef PF_GEN_COMMUNITIES_H
#define PF_GEN_COMMUNITIES_H

#include <stddef.h>

#define COMMUNITY_TAGS 6     /* tags of one community */

struct community {
	const char *name;                  /* "cooking": also the id prefix */
	const char *topic;                 /* "home cooking": a phrase */
	const char *tags[COMMUNITY_TAGS];  /* lower-case, hyphenated */
};

/* The SE-PQA communities in the source's order, and how many. */
extern const struct community communities[];
extern const size_t ncommunities;

/* The community called name, or NULL. */
const struct community *community_find(const char *name);

#endif
