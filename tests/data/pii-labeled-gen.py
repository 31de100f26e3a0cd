#!/usr/bin/env python3
"""pii-labeled-gen.py - writes tests/data/pii-labeled.txt, the labeled set
the PII scanner is scored on (tests/unit/test_pii_labeled.c).

Values are made here (card numbers Luhn-valid in issuer ranges, IBANs with
their mod-97 check digits and country lengths, SSNs in issued ranges) and
set inside sentences written by hand; a fixed seed keeps the file stable.
Run it again only to extend the set, then commit both files:
  python3 tests/data/pii-labeled-gen.py auditors/data/test-cards.tsv \
      > tests/data/pii-labeled.txt
"""
import random, sys

R = random.Random(17)

def luhn_digit(body):
    s = 0
    for i, ch in enumerate(reversed(body)):
        v = int(ch)
        if i % 2 == 0:
            v = v * 2 - 9 if v * 2 > 9 else v * 2
        s += v
    return str((10 - s % 10) % 10)

def card(prefix, length):
    body = prefix + "".join(R.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + luhn_digit(body)

def group(num, sizes, sep):
    out, i = [], 0
    for s in sizes:
        out.append(num[i:i + s]); i += s
    return sep.join(out)

def iban(cc, bban):
    rearr = bban + cc + "00"
    n = int("".join(str(int(c, 36)) for c in rearr))
    return cc + "%02d" % (98 - n % 97) + bban

IBAN_FMT = {  # country: BBAN pattern (a: letter, n: digit), total length
    "DE": "n" * 18, "GB": "aaaa" + "n" * 14, "FR": "n" * 23, "ES": "n" * 20,
    "IT": "a" + "n" * 22, "NL": "aaaa" + "n" * 10, "BE": "n" * 12,
    "CH": "n" * 17, "AT": "n" * 16, "PL": "n" * 24, "SE": "n" * 20,
    "NO": "n" * 11, "DK": "n" * 14, "FI": "n" * 14, "IE": "aaaa" + "n" * 14,
    "PT": "n" * 21,
}

def bban(pat):
    return "".join(R.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") if c == "a" else R.choice("0123456789") for c in pat)

L = []  # output lines

def add(s):
    L.append(s)

def m(kind, value, reserved=False):
    return "[[%s%s|%s]]" % (kind, "!" if reserved else "", value)

# ---------------------------------------------------------------- email
real_emails = ["maria.lopez84@gmail.com", "j.okafor@outlook.com", "chen.wei@163.com",
    "priya_nair@yahoo.co.in", "tom+newsletter@fastmail.fm", "a.kowalski@wp.pl",
    "hiroshi.tanaka@docomo.ne.jp", "lisa-marie.berg@gmx.de", "dkim@protonmail.com",
    "r.alvarez@hotmail.es", "sam@smithfamily.org", "oliver.brown@btinternet.com",
    "fatima.zahra@menara.ma", "nguyen.thi.lan@vnn.vn", "jake.t@icloud.com",
    "kwame.mensah@ug.edu.gh", "elena.rossi@libero.it", "b.murphy@eircom.net",
    "sofia.andersson@telia.se", "mike_oconnor@aol.com", "ana.silva@uol.com.br",
    "info@harbourdental.co.nz", "ivan.petrov@yandex.ru", "grace.lee@nyu.edu",
    "pierre.dubois@orange.fr", "amir.hosseini@mail.ir", "c.jones@company.co.uk",
    "noah.w@me.com", "emma.schmidt@web.de", "ravi.k@rediffmail.com",
    "leila.haddad@live.fr", "zoe.clark@sky.com", "diego_m@prodigy.net.mx"]
res_emails = ["jane.doe@example.com", "support@example.org", "bob@mail.example.net",
    "qa-bot@ci.test", "alice@corp.example", "noreply@site.invalid",
    "admin@localhost", "dev@api.example.com", "r.moreno@shop.test", "user@EXAMPLE.COM",
    "m.chen@sub.example.org", "test@foo.localhost"]
email_t = ["You can reach her at {} for questions about the course.",
    "Send the signed lease to {} before Friday.",
    "His old account ({}) still gets the newsletter.",
    "Contact: {}",
    "I wrote to {}, but nobody answered.",
    "Reply-To: {}; please keep the thread.",
    "The receipt was emailed to {}.",
    "\"Forward it to {}\", she said.",
    "email {} or call the front desk",
    "Her profile lists {} as the main address."]
for i, v in enumerate(real_emails):
    add(email_t[i % len(email_t)].format(m("email", v)))
for i, v in enumerate(res_emails):
    add(email_t[(i + 3) % len(email_t)].format(m("email", v, True)))

# ---------------------------------------------------------------- phone
real_phones = ["(415) 867-5309", "212-736-5000", "312.555.2368", "+1 646 555 3890",
    "1-800-275-2273", "(617) 253-1000", "+1 (202) 456-1111", "713 529 4480",
    "phone: 4158675309", "+14155552671", "503-224-8790", "(305) 674-1212",
    "+44 20 7123 4567", "+49 30 901820", "+33 1 42 68 53 00", "+81 3-1234-5678",
    "+61 2 9374 4000", "+91 98765 43210", "+52 55 1234 5678", "+34 912 345 678",
    "+86 10 6552 9988", "+55 11 91234-5678", "+353 1 671 1234", "+7 495 123-45-67",
    "+27 21 123 4567", "+64 9 379 8822", "+31 20 624 1111", "+46 8 123 456 78",
    "+447911123456", "+4915123456789", "(773) 702-1234", "602-364-2722", "919.684.8111"]
res_phones = ["(212) 555-0142", "212-555-0199", "+1 312 555 0100", "1-800-555-0123",
    "(415) 555-0150", "555-0100 in area 206? no: 206-555-0177", "+1 (646) 555-0111",
    "818.555.0184", "(702) 555-0101", "+1 213 555 0167", "971-555-0192", "404-555-0133"]
phone_t = ["Call me at {} after six.",
    "The clinic's number is {}.",
    "Tel. {} (weekdays only)",
    "She left a voicemail from {} yesterday.",
    "Mobile {}, text preferred.",
    "For deliveries ring {} and ask for Sam.",
    "Emergency contact: {}",
    "You can fax the form to {} or mail it."]
for i, v in enumerate(real_phones):
    if v.startswith("phone: "):
        add("Her " + "phone: " + m("phone", v[7:]) + " (cell).")
        continue
    add(phone_t[i % len(phone_t)].format(m("phone", v)))
for i, v in enumerate(res_phones):
    if v.startswith("555-0100"):
        add("The show used " + m("phone", "206-555-0177", True) + " for the diner.")
        continue
    add(phone_t[(i + 2) % len(phone_t)].format(m("phone", v, True)))

# ---------------------------------------------------------------- ssn
def real_ssn():
    while True:
        a = R.randint(1, 899)
        if a != 666:
            return "%03d-%02d-%04d" % (a, R.randint(1, 99), R.randint(1, 9999))
ssn_real = [real_ssn() for _ in range(22)]
itin_groups = [50, 57, 65, 70, 78, 88, 90, 92, 94, 99]
ssn_real += ["9%02d-%02d-%04d" % (R.randint(0, 99), g, R.randint(1, 9999)) for g in itin_groups]
ssn_real += ["9%02d-93-%04d" % (R.randint(0, 99), R.randint(1, 9999)),      # ATIN
             "9%02d-05-%04d" % (R.randint(0, 99), R.randint(1, 9999)),      # IRSN
             "9%02d-38-%04d" % (R.randint(0, 99), R.randint(1, 9999))]      # IRSN
ssn_res = ["000-12-3456", "666-45-1234", "123-00-4567", "321-54-0000", "987-65-4320",
           "987-65-4325", "987-65-4329", "912-34-5678", "900-11-2345", "955-45-6789",
           "000-00-0000", "666-66-6666"]
ssn_t = ["Her SSN is {} according to the form.",
    "Social Security number: {}",
    "He wrote {} in the SSN box by mistake.",
    "SSN {} (verified)",
    "The W-2 shows {} for the employee.",
    "Taxpayer ID {} was entered twice.",
    "Please confirm the number {} on file.",
    "ITIN/SSN: {}"]
for i, v in enumerate(ssn_real):
    if i % 9 == 4:
        v = v.replace("-", " ")
    if i % 11 == 7:
        add("ssn: " + m("ssn", v.replace("-", "").replace(" ", "")) + " on the application")
        continue
    add(ssn_t[i % len(ssn_t)].format(m("ssn", v)))
for i, v in enumerate(ssn_res):
    add(ssn_t[(i + 1) % len(ssn_t)].format(m("ssn", v, True)))

# ---------------------------------------------------------------- card
prefixes = [("4", 16), ("4", 16), ("4", 13), ("4", 19), ("51", 16), ("53", 16), ("55", 16),
    ("2221", 16), ("2720", 16), ("34", 15), ("37", 15), ("6011", 16), ("65", 16),
    ("644", 16), ("3528", 16), ("3589", 16), ("36", 14), ("300", 14), ("62", 16),
    ("62", 19), ("2200", 16), ("4", 16), ("52", 16), ("54", 16), ("37", 15),
    ("6011", 16), ("4", 16), ("35", 16), ("38", 14), ("5", 16), ("4", 16), ("6", 16)]
cards = []
# The published test cards (auditors/data/test-cards.tsv, first column)
# are reserved: a made-up number must not be one of them.
test = set(l.split()[0] for l in open(sys.argv[1]) if l[:1].isdigit()) if len(sys.argv) > 1 else set()
for p, n in prefixes:
    if p == "35": p = "3540"
    if p == "5": p = "51"
    if p == "6": p = "6500"
    while True:
        c = card(p, n)
        if c not in test: break
    cards.append(c)
def fmt_card(c, i):
    if len(c) == 15 and i % 2 == 0: return group(c, [4, 6, 5], " ")
    if len(c) == 16 and i % 3 == 1: return group(c, [4, 4, 4, 4], " ")
    if len(c) == 16 and i % 3 == 2: return group(c, [4, 4, 4, 4], "-")
    return c
card_res = ["4242 4242 4242 4242", "4111111111111111", "5555-5555-5555-4444",
    "378282246310005", "6011 1111 1111 1117", "3530111333300000", "4000056655665556",
    "5105105105105100", "2223003122003222", "6200000000000005", "30569309025904",
    "4012888888881881"]
card_t = ["Charge it to card {}, exp 09/27.",
    "The Visa ending the list was {}.",
    "Card number: {}",
    "She read out {} over the phone.",
    "Paid with {} at the pharmacy.",
    "cc# {} was declined twice",
    "Billing card {} (primary)",
    "I copied {} from the statement."]
for i, c in enumerate(cards):
    add(card_t[i % len(card_t)].format(m("card", fmt_card(c, i))))
for i, c in enumerate(card_res):
    add(card_t[(i + 5) % len(card_t)].format(m("card", c, True)))

# ---------------------------------------------------------------- iban
ibans = []
for k, cc in enumerate(sorted(IBAN_FMT) * 2):
    v = iban(cc, bban(IBAN_FMT[cc]))
    if k % 2 == 0:
        v = " ".join(v[i:i + 4] for i in range(0, len(v), 4))
    ibans.append(v)
iban_t = ["Transfer the deposit to IBAN {} by Monday.",
    "Bank details: {} (BIC on request)",
    "His salary goes to {}.",
    "IBAN: {}",
    "Please refund {} instead of the card.",
    "The invoice footer shows {} as the account."]
for i, v in enumerate(ibans):
    add(iban_t[i % len(iban_t)].format(m("iban", v)))

# ---------------------------------------------------------------- ip
ip_real = ["8.8.8.8", "52.94.236.248", "151.101.1.69", "104.16.132.229", "81.2.69.160",
    "185.199.108.153", "216.58.214.14", "23.45.67.89", "91.198.174.192", "140.82.112.3",
    "77.88.55.60", "13.107.42.14", "199.232.68.133", "2606:4700:4700::1111",
    "2a00:1450:4001:81c::200e", "2001:4860:4860::8888", "2620:fe::fe",
    "2a03:2880:f12f:83:face:b00c:0:25de", "2400:cb00:2048:1::c629:d7a2", "66.249.66.1",
    "31.13.71.36", "98.137.11.163", "45.33.32.156", "2.16.53.10", "62.75.210.15",
    "203.12.160.35", "89.160.20.112", "200.147.67.142", "2a02:26f0:fd::5c7a:3fbe",
    "2001:67c:1562::16", "178.62.10.14"]
ip_res = ["192.168.1.20", "10.0.0.5", "172.16.4.1", "127.0.0.1", "169.254.10.3",
    "192.0.2.44", "198.51.100.7", "203.0.113.9", "2001:db8::1", "fe80::1ff:fe23:4567:890a",
    "::1", "fd12:3456:789a::1", "172.31.255.254", "2001:db8:85a3::8a2e:370:7334"]
ip_t = ["The login came from {} at 03:12.",
    "Her router's public address was {}.",
    "Blocked host {} after five failures.",
    "ssh admin@{} -p 22",
    "The log shows a request from {}, then nothing.",
    "IP: {}",
    "We traced the upload to {} last week."]
for i, v in enumerate(ip_real):
    add(ip_t[i % len(ip_t)].format(m("ip", v)))
for i, v in enumerate(ip_res):
    add(ip_t[(i + 1) % len(ip_t)].format(m("ip", v, True)))

# ---------------------------------------------------------------- address
addrs = ["1600 Pennsylvania Avenue NW", "742 Evergreen Terrace", "221B Baker Street",
    "350 Fifth Avenue", "10 Downing Street", "4059 Mount Lee Drive", "1 Infinite Loop",
    "77 Massachusetts Ave", "1234 Elm St", "88 Colin P Kelly Jr Street",
    "500 South Buena Vista Street", "31 Spooner Street", "12 Grimmauld Place",
    "2300 West Sahara Avenue", "455 Larkspur Dr", "16 Maple Court", "901 Cherry Lane",
    "3200 N Lake Shore Dr", "47 Willow Way", "1520 Harbor Blvd", "9 Riverside Road",
    "604 E 4th St", "250 Old Mill Rd", "18 Kingfisher Close", "700 Ocean Parkway",
    "2125 Sunset Boulevard", "63 Chestnut Hill Road", "5 Orchard Row", "1101 Pine Ridge Trail",
    "420 Madison Ave", "39 Bayview Crescent", "12 Rue Cler Place"]
addr_t = ["She moved to {} last spring.",
    "Ship it to {}, Apt 4B.",
    "The family lived at {} until 2019.",
    "Address: {}, Springfield",
    "We met outside {} every Sunday.",
    "His mail still goes to {} even now.",
    "Deliveries for {} are left with the neighbour.",
    "The lease for {} ends in June."]
for i, v in enumerate(addrs):
    add(addr_t[i % len(addr_t)].format(m("address", v)))

# ---------------------------------------------------------------- dob
names = ["Maria Lopez", "Jonathan Reyes", "Aiko Tanaka", "Samuel Okafor", "Ana Silva",
    "Liam O'Brien", "Priya Nair", "Dmitri Volkov", "Chloe Martin", "Kwame Mensah",
    "Elena Rossi", "Hassan Ali", "Grace Lee", "Mateo Garcia", "Ingrid Berg",
    "Noah Williams", "Fatima Zahra", "Lucas Dubois", "Mei Chen", "Oscar Nilsson",
    "Ravi Kumar", "Sophie Wagner", "Tomasz Nowak", "Yara Haddad", "Ethan Brooks",
    "Leila Karimi", "Diego Morales", "Hannah Fischer", "Kofi Boateng", "Isabel Cruz",
    "Arjun Patel", "Nora Lindqvist"]
months = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
def date(i):
    y, mo, d = R.randint(1940, 2005), R.randint(1, 12), R.randint(1, 28)
    f = i % 5
    if f == 0: return "%02d/%02d/%d" % (mo, d, y)
    if f == 1: return "%d-%02d-%02d" % (y, mo, d)
    if f == 2: return "%s %d, %d" % (months[mo - 1], d, y)
    if f == 3: return "%d %s %d" % (d, months[mo - 1], y)
    return "%d/%d/%d" % (mo, d, y)
dob_t = ["{n} was born on {d} in Lagos.",
    "{n} (DOB {d}) joined the study.",
    "Patient: {n}; date of birth: {d}",
    "{n}, born {d}, is the eldest.",
    "Name: {n}. Date of birth {d}.",
    "{n}'s date of birth is {d}.",
    "Applicant {n}, DOB: {d}, renewed the licence."]
for i, n in enumerate(names):
    add(dob_t[i % len(dob_t)].format(n=n, d=m("dob", date(i))))

# ---------------------------------------------------------------- mixed lines
add("Reach " + m("email", "k.osei@gmail.com") + " or " + m("phone", "(312) 482-9917") +
    "; mail goes to " + m("address", "18 Lincoln Avenue") + ".")
add("Test with " + m("card", "4242424242424242", True) + " and write to " +
    m("email", "dev@example.com", True) + ".")
add("Server " + m("ip", "10.1.2.3", True) + " answered, but " + m("ip", "93.184.215.14") + " did not.")

# ---------------------------------------------------------------- near misses
near = [
    "The card 4111 1111 1111 1112 fails the Luhn check.",
    "Ref 4539 1488 0343 6468 is a typo of her number, one digit off.",
    "Order #4158675309 shipped on Tuesday.",
    "Tracking number 1Z999AA10123456784 via UPS.",
    "USPS tracking 9400 1000 0000 0000 0000 00 arrived.",
    "ISBN 978-0-306-40615-7 is the second edition.",
    "ISBN-10 0-306-40615-2 appears on the back cover.",
    "The book is 9780306406157 in the catalogue.",
    "Upgrade to v10.2.3.4 before the release.",
    "Windows version 10.0.19041.1 was installed.",
    "Running version 4.18.2.1 of the agent.",
    "The OID 1.3.6.1.4.1.311.21.8 names the template.",
    "Build 2024.10.14.2 fixed the crash.",
    "She lives near Main Street, by the bakery.",
    "The ZIP code is 90210.",
    "Our office moved to the Baker Street area.",
    "The meeting is on 03/14/2024 at noon.",
    "The company was founded on March 14, 1987.",
    "Invoice date: 2024-10-14, due in 30 days.",
    "Maria Lopez arrived on 12 June 2019 with two bags.",
    "He was born in 1987 and grew up in Ohio.",
    "It costs $1,299.99 plus 8.25% tax.",
    "The dial code 123-456-7890 is not a valid number.",
    "Account 123-456-789 in the old format.",
    "MAC address 00:1a:2b:3c:4d:5e on the laptop.",
    "At 12:30:45 the alarm went off.",
    "Use std::vector and std::map in C++.",
    "IBAN DE89 3704 0044 0532 0130 01 has a bad check digit.",
    "Her student number 20231145 is printed on the badge.",
    "Room 1204, extension 5531, floor 12.",
    "Product code 5012345678900 on the label.",
    "The match ended 3-2-1 after penalties.",
    "Serial no. SN-4485-2210-9931 on the router.",
    "Coordinates 40.7128, -74.0060 mark the office.",
    "a@b is not an address and neither is foo@bar.",
    "Chapter 1.2.3.4 covers the proof.",
    "Between 1990 and 2005 the population doubled.",
    "The firmware v 192.168.1.1 notes list no changes.",
    "Release notes for version 2.4.10.3 mention the fix.",
    "She ran 5 miles along the river.",
    "dpkg (1.4.1.6) unstable; urgency=low",
    "gnutls28 (3.6.11.1-2) unstable; the epoch form is libxfixes (1:3.0.1.2-5).",
    "Breaks: alsa-utils (<< 1.0.24.2-5) and needs zlib >= 1.2.2.3 at least.",
    "Copyright 2016 Iain Lane, all rights reserved.",
    "See RFC 6960 section 4.2.2.2 for the responder rules.",
    "Sections 212-555 and 0142 were renumbered.",
]
add("# near misses: nothing here is PII")
for s in near:
    add(s)

sys.stdout.write("""# tests/data/pii-labeled.txt - the labeled set the PII scanner is scored on
# (tests/unit/test_pii_labeled.c prints precision and recall per kind).
# Written by tests/data/pii-labeled-gen.py: values made to the rules
# (Luhn and issuer ranges, IBAN mod 97 and country lengths, issued SSN
# ranges), set in sentences written by hand.
# One case a line; '#' starts a comment line. [[KIND|TEXT]] marks a span
# of PII of KIND (email phone ssn card iban ip address dob) whose exact
# bytes are TEXT; [[KIND!|TEXT]] a reserved synthetic value, which must be
# found and classed info. Anything unmarked must not be found.
""")
for s in L:
    sys.stdout.write(s + "\n")
