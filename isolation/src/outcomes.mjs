// The outcomes a case can expect, and when an actual outcome satisfies an expected one.

/** Outcomes a case may expect; `Denied` accepts either kind of denial. */
export const OUTCOMES = Object.freeze(['Allowed', 'Denied', 'ExplicitlyDenied', 'ImplicitlyDenied', 'NotApplicable'])

/** Whether an actual outcome satisfies an expected one. */
export function satisfies(expected, actual) {
  if (expected === 'Denied') {
    return actual === 'ExplicitlyDenied' || actual === 'ImplicitlyDenied'
  }
  return expected === actual
}
