/* communities.c - the SE-PQA communities (see communities.h for the
 * source of the names; tags and topics are ours, illustrative). */
#include "generators/communities.h"

#include <string.h>

#define C(N, TOPIC, A, B, D, E, F, G) \
	{ .name = (N), .topic = (TOPIC), .tags = { A, B, D, E, F, G } }

const struct community communities[] = {
	C("writers", "writing", "fiction", "plot", "dialogue", "publishing",
	  "editing", "characters"),
	C("workplace", "the workplace", "management", "colleagues",
	  "salary", "remote-work", "resignation", "interviewing"),
	C("woodworking", "woodworking", "joinery", "finishing", "hand-tools",
	  "table-saw", "hardwood", "glue"),
	C("vegetarianism", "vegetarian eating", "protein", "vegan",
	  "nutrition", "recipes", "eggs", "dairy"),
	C("travel", "travel", "visas", "air-travel", "trains", "luggage",
	  "passports", "layovers"),
	C("sustainability", "sustainable living", "recycling", "energy",
	  "composting", "plastics", "water", "transport"),
	C("sports", "sports", "football", "rules", "tennis", "baseball",
	  "training", "referees"),
	C("sound", "sound recording", "microphones", "mixing", "field-recording",
	  "foley", "noise", "audio-editing"),
	C("skeptics", "checking claims", "medicine", "statistics",
	  "history-claims", "quotes", "nutrition-claims", "media"),
	C("scifi", "science fiction", "star-trek", "star-wars",
	  "story-identification", "novels", "time-travel", "aliens"),
	C("rpg", "tabletop role-playing", "dnd-5e", "game-mastering",
	  "spells", "combat", "character-creation", "homebrew"),
	C("politics", "politics", "elections", "parliament", "policy",
	  "voting", "constitution", "parties"),
	C("philosophy", "philosophy", "ethics", "logic", "epistemology",
	  "metaphysics", "kant", "free-will"),
	C("pets", "pets", "dogs", "cats", "training", "diet", "behavior",
	  "health"),
	C("parenting", "parenting", "toddlers", "sleep", "discipline",
	  "school", "teenagers", "siblings"),
	C("outdoors", "the outdoors", "hiking", "camping", "navigation",
	  "gear", "weather", "safety"),
	C("opensource", "open source", "licensing", "gpl", "contributing",
	  "community", "copyright", "attribution"),
	C("musicfans", "being a music fan", "albums", "concerts", "genres",
	  "lyrics", "bands", "recommendations"),
	C("music", "making music", "guitar", "theory", "piano", "chords",
	  "practice", "rhythm"),
	C("movies", "film", "plot-explanation", "directors", "scenes",
	  "endings", "actors", "sequels"),
	C("money", "personal finance", "budgeting", "taxes", "retirement",
	  "credit-cards", "mortgage", "investing"),
	C("martialarts", "martial arts", "karate", "judo", "sparring",
	  "stretching", "belts", "self-defense"),
	C("literature", "literature", "poetry", "novels", "symbolism",
	  "shakespeare", "translation", "short-stories"),
	C("linguistics", "linguistics", "phonology", "syntax", "etymology",
	  "morphology", "dialects", "historical-linguistics"),
	C("lifehacks", "everyday tricks", "cleaning", "storage", "kitchen",
	  "organization", "repairs", "clothing"),
	C("law", "the law", "contracts", "tenancy", "copyright-law",
	  "employment-law", "traffic", "small-claims"),
	C("judaism", "Judaism", "shabbat", "kashrut", "prayer", "holidays",
	  "torah", "customs"),
	C("islam", "Islam", "prayer", "ramadan", "fiqh", "quran", "hadith",
	  "fasting"),
	C("interpersonal", "getting along with people", "friendship",
	  "conflict", "family", "communication", "boundaries", "neighbors"),
	C("hsm", "the history of science and mathematics", "physics-history",
	  "mathematicians", "astronomy", "notation", "discoveries",
	  "instruments"),
	C("history", "history", "world-war-two", "ancient-rome", "medieval",
	  "empires", "revolutions", "sources"),
	C("hinduism", "Hinduism", "vedas", "rituals", "deities", "puja",
	  "festivals", "scriptures"),
	C("hermeneutics", "reading scripture closely", "gospels", "genesis",
	  "greek", "hebrew", "translation", "parables"),
	C("health", "health", "sleep", "diet", "exercise", "medication",
	  "allergies", "headaches"),
	C("genealogy", "family history", "census-records", "dna",
	  "immigration-records", "surnames", "archives", "church-records"),
	C("gardening", "gardening", "vegetables", "lawn", "pruning", "soil",
	  "pests", "watering"),
	C("gaming", "video games", "strategy", "minecraft", "consoles",
	  "achievements", "multiplayer", "speedrunning"),
	C("freelancing", "freelancing", "clients", "invoicing", "contracts",
	  "pricing", "taxes", "portfolio"),
	C("fitness", "fitness", "strength-training", "running", "weight-loss",
	  "stretching", "routines", "recovery"),
	C("expatriates", "living abroad", "residency", "banking", "moving",
	  "language", "health-insurance", "work-permits"),
	C("english", "the English language", "grammar", "word-choice",
	  "idioms", "punctuation", "pronunciation", "usage"),
	C("diy", "home repair", "plumbing", "electrical", "drywall",
	  "painting", "flooring", "insulation"),
	C("cooking", "home cooking", "baking", "bread", "knives", "spices",
	  "food-safety", "sauces"),
	C("christianity", "Christianity", "church-history", "prayer",
	  "denominations", "bible", "theology", "saints"),
	C("buddhism", "Buddhism", "meditation", "sutras", "karma", "zen",
	  "theravada", "mindfulness"),
	C("boardgames", "board games", "strategy", "rules-questions", "chess",
	  "card-games", "cooperative", "scoring"),
	C("bicycles", "cycling", "maintenance", "tires", "gears", "commuting",
	  "brakes", "bike-fit"),
	C("apple", "Apple devices", "macos", "iphone", "ipad", "backup",
	  "battery", "settings"),
	C("anime", "anime", "plot-explanation", "manga", "characters",
	  "studios", "adaptations", "series"),
	C("academia", "academic life", "phd", "publishing", "peer-review",
	  "teaching", "applications", "advisors"),
};

const size_t ncommunities = sizeof(communities) / sizeof(communities[0]);

_Static_assert(sizeof(communities) / sizeof(communities[0]) == 50,
	       "SE-PQA has 50 communities");

const struct community *
community_find(const char *name)
{
	size_t i;

	/* A config's names are the table's own (config.c keeps the name
	 * community_find returned): found by address first, without a
	 * string compare per community (each cqa item looks up every
	 * community of its config, twice). */
	for (i = 0; i < ncommunities; i++)
		if (communities[i].name == name)
			return &communities[i];
	for (i = 0; i < ncommunities; i++)
		if (strcmp(communities[i].name, name) == 0)
			return &communities[i];
	return NULL;
}
