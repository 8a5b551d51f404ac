// Speeds up the simulator several times over without changing a single answer.
//
// @cloud-copilot/iam-utils compares ARN characters one by one with `a.localeCompare(b, undefined, { sensitivity })`,
// and V8 builds a new Intl.Collator for every such call. ECMA-402 defines that call as exactly
// `new Intl.Collator(locales, options).compare(a, b)` (ECMA-402, String.prototype.localeCompare); a collator's
// behaviour depends only on the locales and the options it reads, and compare is a pure function. So one collator
// per (locales, options), and one remembered answer per pair of single characters, give identical results.
// Loaded only in the suite's worker threads; ISOLATION_PLAIN_LOCALE_COMPARE=1 turns it off to compare the two.
const plain = String.prototype.localeCompare
const collators = new Map()

/** Every option Intl.Collator reads (ECMA-402, InitializeCollator). */
const OPTION_NAMES = ['usage', 'localeMatcher', 'collation', 'numeric', 'caseFirst', 'sensitivity', 'ignorePunctuation']

function cacheFor(locales, options) {
  let id = JSON.stringify(locales ?? null)
  if (options !== undefined) {
    for (const name of OPTION_NAMES) id += '|' + String(options[name])
  }
  let cached = collators.get(id)
  if (cached === undefined) {
    cached = { collator: new Intl.Collator(locales, options), pairs: new Map() }
    collators.set(id, cached)
  }
  return cached
}

/** The usual call, `(that, undefined, { sensitivity })`, skips building the cache id. */
const bySensitivity = new Map()

function onlySensitivity(options) {
  return (
    typeof options.sensitivity === 'string' &&
    options.usage === undefined &&
    options.localeMatcher === undefined &&
    options.collation === undefined &&
    options.numeric === undefined &&
    options.caseFirst === undefined &&
    options.ignorePunctuation === undefined
  )
}

export function installCollatorCache() {
  if (process.env.ISOLATION_PLAIN_LOCALE_COMPARE === '1') {
    return false
  }
  String.prototype.localeCompare = function localeCompare(that, locales, options) {
    if (locales === undefined && options === undefined) {
      return plain.call(this, that)
    }
    let cached
    if (locales === undefined && options !== null && typeof options === 'object' && onlySensitivity(options)) {
      cached = bySensitivity.get(options.sensitivity)
      if (cached === undefined) {
        cached = cacheFor(undefined, { sensitivity: options.sensitivity })
        bySensitivity.set(options.sensitivity, cached)
      }
    } else {
      cached = cacheFor(locales, options)
    }
    const a = String(this)
    const b = String(that)
    if (a.length !== 1 || b.length !== 1) {
      return cached.collator.compare(a, b)
    }
    const pair = a + b
    let result = cached.pairs.get(pair)
    if (result === undefined) {
      result = cached.collator.compare(a, b)
      cached.pairs.set(pair, result)
    }
    return result
  }
  return true
}
