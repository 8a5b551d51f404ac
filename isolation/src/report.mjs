// The readable report: what was evaluated against which policies, a summary per group, then one row per case.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** Writes the report and returns the counts and the failing rows. */
export function writeReport(file, { cases, labels, legend, app, subjects, workers, timing }) {
  const aliases = [
    ['upload-bucket', app.uploadBucket.arn],
    ...app.buckets.filter((b) => b !== app.uploadBucket).map((b) => [b.path.split('/')[1].replace(/[0-9A-F]{8}$/, ''), b.arn])
  ]
  const shorten = (resource) => {
    for (const [alias, arn] of aliases) {
      if (resource === arn || resource.startsWith(arn + '/')) return alias + resource.slice(arn.length)
    }
    return resource
  }
  const row = (c) => [c.passed ? 'ok  ' : 'FAIL', labels[c.principal] ?? c.principal, c.action, c.expect, c.actual, c.shown ?? shorten(c.resource)]
  const rows = cases.map(row)
  const width = (column) => Math.min(60, rows.reduce((max, r) => Math.max(max, String(r[column]).length), 0))
  const principalWidth = width(1)
  const actionWidth = width(2)
  const format = (r) => [r[0], pad(r[1], principalWidth), pad(r[2], actionWidth), pad(r[3], 16), pad(r[4], 16), r[5]].join(' | ')

  const groups = new Map()
  for (const c of cases) {
    const g = groups.get(c.group) ?? { passed: 0, failed: 0, rows: [] }
    c.passed ? g.passed++ : g.failed++
    g.rows.push(c)
    groups.set(c.group, g)
  }
  const passed = cases.filter((c) => c.passed).length
  const failed = cases.length - passed
  const iam = cases.filter((c) => !c.lambdaCheck).length
  const overview = `${cases.length} cases: ${iam} IAM policy evaluations and ${cases.length - iam} Lambda subject checks; ` +
    `${subjects.adversarial} adversarial subjects (${subjects.accepted} accepted), ${subjects.rejected} refused (empty, over-long or malformed)`
  const { total, evaluation } = timing()
  const time = `${total.toFixed(1)} s in all, ${evaluation.toFixed(1)} s of it evaluating on ${workers} worker thread(s)`

  const lines = [
    'Tenant isolation: IAM policy evaluation over the synthesized policies',
    '',
    `evaluator   @cloud-copilot/iam-simulate (Strict mode); identity policies + session policy + bucket or trust policy in one simulation`,
    `account     ${app.environment.accountId}, region ${app.environment.region}, partition ${app.environment.partition} (fictitious, tokens resolved from cdk.out)`,
    `upload role ${app.uploadRole.arn}`,
    `            permission policies: ${app.uploadRole.identityPolicies.map((p) => p.name).join(', ')}`,
    `exec. role  ${app.executionRole.arn}`,
    `            permission policies: ${app.executionRole.identityPolicies.map((p) => p.name).join(', ')}`,
    ...aliases.map(([alias, arn]) => `${pad(alias, 11)} ${arn}`),
    '',
    overview,
    time,
    '',
    'Summary by group',
    ...[...groups].map(([name, g]) => `  ${String(g.passed).padStart(6)} passed ${String(g.failed).padStart(6)} failed  ${name}`),
    '',
    'Generated subjects (the rows below name them by number; "key of #n" is the first key listed here)',
    ...legend,
    '',
    `Columns: result | principal | action | expected | actual | resource`,
    ''
  ]
  for (const [name, g] of groups) {
    lines.push(`== ${name}`)
    for (const c of g.rows) lines.push(format(row(c)))
    lines.push('')
  }
  lines.push(`${passed} passed, ${failed} failed`)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, lines.join('\n') + '\n')

  const failures = cases.filter((c) => !c.passed).map((c) => `FAIL [${c.group}] ${format(row(c)).slice('FAIL | '.length)}`)
  return { passed, failed, overview: `${overview}\n${time}`, failures }
}

function pad(value, width) {
  const s = String(value)
  return s.length >= width ? s : s + ' '.repeat(width - s.length)
}
