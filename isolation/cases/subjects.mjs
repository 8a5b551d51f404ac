// Adversarial `sub` claims: strings a hostile or careless identity provider could issue, chosen to make two
// different users' owners, keys or session policies meet. Deterministic: the same list on every run.

/** A subject with why it is in the list. */
const entry = (family, subject) => ({ family, subject })

const NAMES = ['alice', 'bob', 'carol', 'mallory', 'admin', 'root', 'uploads', 'user']

function* plain() {
  for (const name of NAMES) yield entry('plain', name)
  yield entry('plain', 'a')
  yield entry('plain', 'A')
  yield entry('plain', '0')
  yield entry('plain', '00')
  yield entry('plain', '-1')
  yield entry('plain', '1e3')
}

// Base32 turns every 5 bytes into 8 characters, so "alice" (5 bytes) has an owner that is a string prefix of
// the owner of "alice2", "alice22", ... exactly the shape that would leak if a policy ended in a wildcard.
function* prefixes() {
  for (const base of ['alice', 'bob', 'abcde', 'x']) {
    for (const suffix of ['2', '22', '/', '_', '-', '.', ' ', '*', '?', '0', 'a', 'alice', '/..', '\u0000']) {
      yield entry('prefix', base + suffix)
    }
    yield entry('prefix', ' ' + base)
    yield entry('prefix', base.slice(0, -1) || base + base)
  }
  yield entry('prefix', 'abcdeabcde')
  yield entry('prefix', 'abcdeabcdea')
}

function* caseVariants() {
  for (const v of ['Alice', 'ALICE', 'aLiCe', 'alicE', 'BOB', 'Bob', 'ADMIN', 'Root', 'UPLOADS', 'Uploads']) {
    yield entry('case', v)
  }
  yield entry('case', 'al\u0130ce') // Turkish capital dotted I
  yield entry('case', 'al\u0131ce') // Turkish dotless i
  yield entry('case', 'stra\u00dfe')
  yield entry('case', 'STRASSE')
  yield entry('case', 'strasse')
  yield entry('case', '\u212aelvin') // KELVIN SIGN
  yield entry('case', 'Kelvin')
}

function* lookalikes() {
  yield entry('lookalike', '\u0430lice') // Cyrillic a
  yield entry('lookalike', 'alic\u0435') // Cyrillic e
  yield entry('lookalike', '\u0430li\u0441\u0435') // Cyrillic a, es, e
  yield entry('lookalike', 'b\u043eb') // Cyrillic o
  yield entry('lookalike', 'b\u03bfb') // Greek omicron
  yield entry('lookalike', 'b0b')
  yield entry('lookalike', 'a1ice')
  yield entry('lookalike', 'aIice')
  yield entry('lookalike', 'a\u04cfice') // Cyrillic palochka
  yield entry('lookalike', '\uff41\uff4c\uff49\uff43\uff45') // full-width alice
  yield entry('lookalike', '\uff21\uff4c\uff49\uff43\uff45')
  yield entry('lookalike', '\u{1d41a}\u{1d425}\u{1d422}\u{1d41c}\u{1d41e}') // mathematical bold, astral
  yield entry('lookalike', '\u2113ice')
  yield entry('lookalike', 'alice\u200b') // zero-width space
  yield entry('lookalike', 'ali\u200dce') // zero-width joiner
  yield entry('lookalike', '\ufeffalice') // byte order mark
  yield entry('lookalike', 'ali\u00adce') // soft hyphen
  yield entry('lookalike', '\u202eecila') // right-to-left override
  yield entry('lookalike', 'alice\u00a0') // no-break space
  yield entry('lookalike', 'alice\u3000') // ideographic space
  yield entry('lookalike', '\u0251lice') // Latin alpha
  yield entry('lookalike', 'a\u217cice') // small Roman numeral fifty
  yield entry('lookalike', '\ud835\udcb6lice') // script a, astral
}

function* combining() {
  yield entry('combining', 'ali\u0301ce')
  yield entry('combining', 'al\u00edce') // precomposed i acute
  yield entry('combining', 'ali\u0301ce\u0301')
  yield entry('combining', 'caf\u00e9') // NFC
  yield entry('combining', 'cafe\u0301') // NFD
  yield entry('combining', 'cafe\u0301\u0301')
  yield entry('combining', 'e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308')
  yield entry('combining', 'a' + '\u0336'.repeat(40)) // strike-through marks
  yield entry('combining', '\u0301alice') // mark with no base
  yield entry('combining', 'n\u0303')
  yield entry('combining', '\u00f1')
  yield entry('combining', '\u1100\u1161') // Hangul jamo
  yield entry('combining', '\uac00') // precomposed Hangul syllable
  yield entry('combining', '\u0915\u094d\u0937') // Devanagari conjunct
}

function* separatorsAndWildcards() {
  const hostile = [
    '/', '//', '/alice', 'alice/', 'alice/bob', 'alice//bob', '\\', 'alice\\bob',
    '.', '..', '...', '../alice', 'alice/../bob', './alice', '%2e%2e%2f', 'alice%2Fbob',
    '*', '**', 'alice*', '*alice', 'a*e', '?', '??', 'al?ce', '?lice', '[a-z]*',
    '$', '${', '${aws:username}', '${aws:userid}', '${aws:PrincipalTag/team}', '${*}', '${?}', '${$}',
    '${s3:prefix}', '$alice', '{}', '{alice}',
    'uploads/alice', 'uploads/*', 'uploads/../', 'arn:aws:s3:::*', 'arn:aws:iam::111122223333:root', '*:*',
    '"', "'", '"alice"', '\\"', '\n', '\t', '\r\n', 'alice\nbob', '\u0000', 'alice\u0000', '\u007f',
    ' ', '  ', 'alice bob', '<script>', '{"sub":"alice"}', ',', ';', '#', '&', '=', '+', '%', '~', '`', '@', '!',
    '|', '^', '(', ')'
  ]
  for (const s of hostile) yield entry('separator-wildcard', s)
}

/** Lengths around the 255-byte limit, including multi-byte and astral characters. */
function* long() {
  yield entry('long', 'a'.repeat(255))
  yield entry('long', 'a'.repeat(254))
  yield entry('long', 'a'.repeat(254) + 'b')
  yield entry('long', 'b' + 'a'.repeat(254))
  yield entry('long', 'a'.repeat(128) + '/' + 'a'.repeat(126))
  yield entry('long', '*'.repeat(255))
  yield entry('long', '\u00e9'.repeat(127)) // 254 bytes
  yield entry('long', '\u20ac'.repeat(85)) // 255 bytes
  yield entry('long', '\u{1f600}'.repeat(63)) // 252 bytes, astral
  yield entry('long', 'alice'.repeat(51)) // 255 bytes
  yield entry('long', 'alice'.repeat(50)) // 250 bytes: its owner is a prefix of the previous one's
  yield entry('long', 'alice'.repeat(50) + 'bob')
  // Long owners get a truncated session name with a hash: these share the first 38 owner characters.
  yield entry('long', 'x'.repeat(100) + 'y')
  yield entry('long', 'x'.repeat(100) + 'z')
  yield entry('long', '${aws:username}'.repeat(17)) // 255 bytes of policy variables
}

/** Subjects an identity provider usually issues: UUIDs (Cognito), numbers, emails, URLs. */
function* realistic() {
  const uuids = ['0b5e2c1a-9f3d-4e7b-8a61-2c4d6e8f0a1b', '0b5e2c1a-9f3d-4e7b-8a61-2c4d6e8f0a1c', 'ffffffff-ffff-4fff-bfff-ffffffffffff']
  for (const uuid of uuids) {
    yield entry('realistic', uuid)
    yield entry('realistic', uuid.toUpperCase())
  }
  yield entry('realistic', '0b5e2c1a9f3d4e7b8a612c4d6e8f0a1b')
  yield entry('realistic', 'eu-central-1:0b5e2c1a-9f3d-4e7b-8a61-2c4d6e8f0a1b')
  yield entry('realistic', '1234567890')
  yield entry('realistic', '01234567890')
  yield entry('realistic', 'alice@example.com')
  yield entry('realistic', 'Alice@Example.com')
  yield entry('realistic', 'alice@example.com.')
  yield entry('realistic', 'https://issuer.example.com/users/alice')
  yield entry('realistic', 'auth0|alice')
  yield entry('realistic', 'google-oauth2|123456789')
  yield entry('realistic', 'mfwgsy3f') // the owner of "alice", used as a subject
  yield entry('realistic', 'MFWGSY3F')
  yield entry('realistic', 'mfwgsy3f/')
}

/** A fixed-seed generator: the same pseudo-random subjects on every run. */
function* seededRandom(count, seed) {
  // mulberry32, a small well-known PRNG; the seed makes the list reproducible.
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const alphabet = [...'aAzZ09/*?$.{}-_ \\"\u00e9\u0301\u0430\u200b\uff41\u{1f600}\u0000']
  for (let i = 0; i < count; i++) {
    const length = 1 + Math.floor(next() * 24)
    let s = ''
    for (let j = 0; j < length; j++) s += alphabet[Math.floor(next() * alphabet.length)]
    yield entry('seeded-random', s)
  }
}

/**
 * Subjects the Lambda must refuse: nothing, more than 255 bytes of UTF-8, or not well-formed Unicode (a lone
 * surrogate has no UTF-8 form; encoding it lossily would let "\ud800" and "?" share an owner).
 */
export const REJECTED_SUBJECTS = Object.freeze([
  entry('lone-surrogate', '\ud800'),
  entry('lone-surrogate', '\udc00'),
  entry('lone-surrogate', '\ud800x'),
  entry('lone-surrogate', 'a\udfff'),
  entry('too-long', ''),
  entry('too-long', 'a'.repeat(256)),
  entry('too-long', '\u00e9'.repeat(128)), // 256 bytes
  entry('too-long', '\u{1f600}'.repeat(64)), // 256 bytes
  entry('too-long', 'a'.repeat(4096))
])

/**
 * The accepted adversarial subjects, unique, in a fixed order. Every one is well-formed UTF-16: subjects with a
 * lone surrogate are refused by the Lambda and checked as such in REJECTED_SUBJECTS.
 */
export function adversarialSubjects() {
  const seen = new Set()
  const out = []
  const families = [plain(), prefixes(), caseVariants(), lookalikes(), combining(), separatorsAndWildcards(), long(), realistic(), seededRandom(40, 20260115)]
  for (const family of families) {
    for (const e of family) {
      if (!e.subject.isWellFormed()) {
        throw new Error(`subject ${JSON.stringify(e.subject)} is not well-formed UTF-16`)
      }
      if (!seen.has(e.subject)) {
        seen.add(e.subject)
        out.push(e)
      }
    }
  }
  return out
}
