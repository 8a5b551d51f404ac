// A worker thread: evaluates the batches of cases the main thread sends, against the world it was started with.
import { parentPort, workerData } from 'node:worker_threads'
import { installCollatorCache } from './collator-cache.mjs'

installCollatorCache()
const { evaluateCase } = await import('./evaluate.mjs')
const world = workerData.world

parentPort.on('message', async ({ batch, first }) => {
  const actual = []
  for (const c of batch) {
    try {
      actual.push(await evaluateCase(world, c))
    } catch (error) {
      actual.push(`Error: ${error.message}`)
    }
  }
  parentPort.postMessage({ first, actual })
})
