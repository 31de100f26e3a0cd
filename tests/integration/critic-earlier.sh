#!/bin/sh
# critic-earlier.sh - the interview critic holds each answer to the
# persona's EARLIER answers. A 10,000-persona offline build of
# examples/demo.json (five questions) runs with the test hook
# PERSONAFORGE_TEST_CONTRADICT=earlier, which appends to one answer of
# every other persona (even persona index; question 1 + index / 2 mod 4)
# a sentence contradicting the first answer: another hometown ("I grew
# up in Fairbanks, Alaska."), a birth year three years off, or the
# sibling named with the other sex's relation word: 10% of the answers.
# The critic (offline: the coherence rule earlier_answer) must reject at
# least 95% of those, no other answer, and every retry must succeed.
# Prints the rejection rate.
. "${top_srcdir:-.}/tests/integration/lib.sh"
heavy_test
mode=earlier
inj="(persona_id % 2 = 0 AND turn - 1 = 1 + (persona_id / 2) % 4)"
. "$src/tests/integration/critic-run.sh"
