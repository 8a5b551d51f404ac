// Runs the credentials Lambda's own Java code (isolation/SessionPolicies.java against the shaded jar) to get
// the owner, keys and session policies the Lambda would issue for each subject.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * @param {{ jar: string, program: string, partition: string, bucket: string, kmsKeyArn?: string,
 *           subjects: { subject: string, uploads: { id: string, fileName: string }[] }[] }} input
 * @returns one entry per subject, in order: `{ owner, sessionName, ownerPrefix, uploads }` or `{ rejected }`
 */
export function issueWithLambdaCode({ jar, program, partition, bucket, kmsKeyArn, subjects }) {
  if (!existsSync(jar)) {
    throw new Error(`${jar} is missing: build it with ./bin/synth (or mvn -B -q -pl lambda -am package -DskipTests)`)
  }
  const dir = mkdtempSync(join(tmpdir(), 'isolation-'))
  try {
    const inputFile = join(dir, 'subjects.json')
    writeFileSync(inputFile, JSON.stringify({ partition, bucket, kmsKeyArn: kmsKeyArn ?? null, subjects }))
    const stdout = execFileSync('java', ['-cp', jar, program, inputFile], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit']
    })
    const issued = JSON.parse(stdout).subjects
    if (issued.length !== subjects.length) {
      throw new Error(`${program} answered for ${issued.length} subjects, but ${subjects.length} were asked`)
    }
    return issued
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
