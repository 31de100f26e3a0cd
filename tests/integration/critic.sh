#!/bin/sh
# critic.sh - the interview critic catches contradictions and the retries
# mend them. A 10,000-persona offline build of examples/demo.json (five
# questions) runs with the test hook PERSONAFORGE_TEST_CONTRADICT, which
# appends a sentence contradicting the persona ("I am retired now." for
# one with a job, "I work as a <occupation>." for one without) to the
# first answer of every tenth question (persona x 5 + question index
# divisible by 10): 10% of the answers. The critic (offline: the
# coherence rules) must reject at least 95% of those, no other answer,
# every interview item must finish, and the stored answers must hold
# together (tests/integration/coherence_scan). Prints the rejection rate.
. "${top_srcdir:-.}/tests/integration/lib.sh"
heavy_test
mode=1
inj="((persona_id * 5 + turn - 1) % 10 = 0)"
. "$src/tests/integration/critic-run.sh"
