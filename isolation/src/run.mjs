// The tenant-isolation suite: policies from cdk.out, session policies from the Lambda's own code, every case
// evaluated by @cloud-copilot/iam-simulate; writes report/isolation-report.txt and exits non-zero on a mismatch.
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { adversarialSubjects, REJECTED_SUBJECTS } from '../cases/subjects.mjs'
import { fixedCases, MULTIPART_ACTIONS, subjectCases } from './cases.mjs'
import { satisfies } from './outcomes.mjs'
import { issueWithLambdaCode } from './lambda.mjs'
import { writeReport } from './report.mjs'
import { readWorld } from '../../local/lib/world.mjs'
import { buildWorld } from './world.mjs'

/** The fictitious environment every token resolves in (local/lib/templates.mjs resolves them). */
const FICTITIOUS_ACCOUNT = Object.freeze({ accountId: '111122223333', region: 'eu-central-1', partition: 'aws', urlSuffix: 'amazonaws.com' })

const here = dirname(fileURLToPath(import.meta.url))
const isolationDir = resolve(here, '..')
const repoDir = resolve(isolationDir, '..')

/** Every adversarial subject uploads the same file name with the same upload id: only the owner tells keys apart. */
const SHARED_UPLOAD = Object.freeze({ id: '5e1f0c4a-7b2d-4c3e-9f8a-6b5c4d3e2f1a', fileName: 'video.mp4' })
const SECOND_UPLOAD_ID = '5e1f0c4a-7b2d-4c3e-9f8a-6b5c4d3e2f1b'
/** Raw file names for each subject's second upload, cleaned by the Lambda's FileNames.clean. */
const HOSTILE_FILE_NAMES = Object.freeze([
  'video.mp4', '../../../other/video.mp4', '\uff56\uff49\uff44\uff45\uff4f.mp4', '*.mp4', '${aws:username}.mp4',
  '.hidden', 'a/b\\c.mov', '\u202egnp.exe', 'caf\u00e9 d\u00e9j\u00e0 vu.mkv', '?.mp4', 'x'.repeat(300) + '.mp4'
])

async function main() {
  const started = process.hrtime.bigint()
  const cdkOut = process.env.ISOLATION_CDK_OUT ?? join(repoDir, 'cdk.out')
  const jar = process.env.ISOLATION_LAMBDA_JAR ?? join(repoDir, 'lambda/target/credentials-lambda.jar')
  const app = readWorld(cdkOut, FICTITIOUS_ACCOUNT)
  const spec = JSON.parse(readFileSync(join(isolationDir, 'cases/cases.json'), 'utf8'))

  const namedInput = Object.entries(spec.subjects).map(([name, s]) => ({ id: `subject:${name}`, label: name, ...s }))
  const adversarial = adversarialSubjects().map((e, i) => ({
    id: `adversarial:${i}`,
    label: `#${i}`,
    family: e.family,
    subject: e.subject,
    uploads: [SHARED_UPLOAD, { id: SECOND_UPLOAD_ID, fileName: HOSTILE_FILE_NAMES[i % HOSTILE_FILE_NAMES.length] }]
  }))
  const rejectedInput = REJECTED_SUBJECTS.map((e, i) => ({
    id: `rejected:${i}`,
    label: `rejected #${i}`,
    subject: e.subject,
    uploads: [SHARED_UPLOAD]
  }))
  const all = [...namedInput, ...adversarial, ...rejectedInput]
  const issued = issueWithLambdaCode({
    jar,
    program: join(isolationDir, 'SessionPolicies.java'),
    partition: app.environment.partition,
    bucket: app.uploadBucket.name,
    kmsKeyArn: app.kmsKeyArn,
    subjects: all.map(({ subject, uploads }) => ({ subject, uploads }))
  })
  all.forEach((s, i) => (s.issued = issued[i]))

  const world = buildWorld(app, all)
  const named = Object.fromEntries(namedInput.map((s) => [s.label, s]))
  const pairActions = (process.env.ISOLATION_PAIR_ACTIONS ?? MULTIPART_ACTIONS.join(',')).split(',')
  const cases = [
    ...fixedCases(spec, app, named),
    ...subjectCases(app, adversarial, rejectedInput, pairActions)
  ]
  const labels = Object.fromEntries([
    ...all.map((s) => [s.id, `subject ${s.label}`]),
    ...Object.entries(world.principals).map(([id, p]) => [id, p.label])
  ])

  const legend = [...adversarial, ...rejectedInput].map((s) => legendLine(s))

  const toEvaluate = cases.filter((c) => !c.lambdaCheck)
  const workers = Number(process.env.ISOLATION_WORKERS ?? availableParallelism())
  const evaluationStarted = process.hrtime.bigint()
  const actual = await evaluateAll(world, toEvaluate, workers)
  const evaluationSeconds = Number(process.hrtime.bigint() - evaluationStarted) / 1e9
  toEvaluate.forEach((c, i) => (c.actual = actual[i]))
  for (const c of cases) c.passed = c.lambdaCheck ? c.expect === c.actual : satisfies(c.expect, c.actual)

  const reportFile = join(isolationDir, 'report/isolation-report.txt')
  const summary = writeReport(reportFile, {
    cases,
    labels,
    legend,
    app,
    subjects: { adversarial: adversarial.length, accepted: adversarial.filter((s) => !s.issued.rejected).length, rejected: rejectedInput.length },
    workers,
    timing: () => ({ total: Number(process.hrtime.bigint() - started) / 1e9, evaluation: evaluationSeconds })
  })
  for (const line of summary.failures.slice(0, 40)) console.log(line)
  if (summary.failures.length > 40) console.log(`... and ${summary.failures.length - 40} more failures, see ${reportFile}`)
  console.log(summary.overview)
  console.log(`report: ${reportFile}`)
  console.log(`${summary.passed} passed, ${summary.failed} failed`)
  process.exitCode = summary.failed === 0 ? 0 : 1
}

/** Evaluates the cases on `count` worker threads; results come back in case order. */
function evaluateAll(world, cases, count) {
  const batchSize = 200
  const results = new Array(cases.length)
  let next = 0
  let done = 0
  return new Promise((resolvePromise, reject) => {
    if (cases.length === 0) {
      resolvePromise(results)
      return
    }
    const workers = Array.from({ length: Math.max(1, count) }, () => new Worker(join(here, 'worker.mjs'), { workerData: { world } }))
    const feed = (worker) => {
      if (next >= cases.length) {
        return
      }
      const first = next
      next = Math.min(cases.length, next + batchSize)
      worker.postMessage({ first, batch: cases.slice(first, next) })
    }
    for (const worker of workers) {
      worker.on('message', ({ first, actual }) => {
        actual.forEach((a, i) => (results[first + i] = a))
        done += actual.length
        if (done === cases.length) {
          Promise.all(workers.map((w) => w.terminate())).then(() => resolvePromise(results), reject)
        } else {
          feed(worker)
        }
      })
      worker.on('error', reject)
      feed(worker)
    }
  })
}

/** One line per generated subject: what it is, and what the Lambda's code made of it. */
function legendLine(s) {
  const head = `${s.label.padEnd(13)} ${(s.family ?? 'too-long').padEnd(18)} ${describe(s.subject)}`
  if (s.issued.rejected) {
    return `${head}\n${' '.repeat(14)}rejected: ${s.issued.rejected}`
  }
  const [first, second] = s.issued.uploads
  return [
    head,
    `${' '.repeat(14)}owner ${s.issued.owner}  session ${s.issued.sessionName}`,
    `${' '.repeat(14)}key   ${first.key}`,
    ...(second ? [`${' '.repeat(14)}key2  ${second.key ?? 'rejected: ' + second.rejected}`] : [])
  ].join('\n')
}

/** A subject as a short, printable, JSON-escaped string with its UTF-8 length. */
function describe(subject) {
  const bytes = Buffer.byteLength(subject, 'utf8')
  const shown = [...subject].length > 40 ? [...subject].slice(0, 40).join('') + '\u2026' : subject
  return `${JSON.stringify(shown).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)} (${bytes} B)`
}

main().catch((error) => {
  console.error(error.stack ?? String(error))
  console.log('0 passed, 1 failed')
  process.exitCode = 1
})
