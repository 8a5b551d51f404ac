// One case through @cloud-copilot/iam-simulate: identity policies, the session policy, a permissions boundary
// if any, and the resource policy (bucket policy or trust policy, with its Principal), in one simulation.
import { runSimulation } from '@cloud-copilot/iam-simulate'
import { requestContext } from './context.mjs'
import { resourcePolicyFor } from './world.mjs'

/**
 * @returns `Allowed`, `ExplicitlyDenied`, `ImplicitlyDenied`, `NotApplicable` (no resource type of the action
 *   matches the ARN, so IAM cannot grant it there), or `Error: ...` for anything the simulator refused.
 */
export async function evaluateCase(world, c) {
  const principal = world.principals[c.principal]
  if (!principal) {
    return `Error: unknown principal ${c.principal}`
  }
  if (/[*?]/.test(c.resource)) {
    // The simulator expands wildcard resources into several simulations; a case names one concrete resource.
    return `Error: resource ${c.resource} contains a wildcard`
  }
  const resourceAccount = /^arn:[^:]+:(iam|sts)::(\d{12}):/.exec(c.resource)?.[2] ?? world.environment.accountId
  const resourcePolicy = resourcePolicyFor(world, c.resource)
  const simulation = {
    request: {
      principal: principal.arn,
      action: c.action,
      resource: { resource: c.resource, accountId: resourceAccount },
      contextVariables: requestContext(world.environment, principal.context, {
        action: c.action,
        transport: c.transport,
        resourceAccount,
        sts: { roleSessionName: 'mfwgsy3f', sourceIdentity: 'mfwgsy3f' }
      })
    },
    identityPolicies: world.identitySets[principal.identity],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(principal.session && { sessionPolicy: principal.session }),
    ...(principal.boundary && { permissionBoundaryPolicies: principal.boundary }),
    ...(resourcePolicy && { resourcePolicy: resourcePolicy.policy })
  }
  const result = await runSimulation(simulation, { simulationMode: 'Strict' })
  if (result.resultType === 'error') {
    return result.errors.message === 'no.resource.types' ? 'NotApplicable' : `Error: ${JSON.stringify(result.errors)}`
  }
  if (result.resultType !== 'single') {
    return `Error: expected one simulation, got ${result.resultType}`
  }
  return result.overallResult
}
