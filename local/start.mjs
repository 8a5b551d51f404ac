// bin/local's foreground process: starts local mode, prints where to go and how to sign in, and stops
// everything on Ctrl-C (SIGINT), SIGTERM or SIGHUP.
//
//   node local/start.mjs [--web-port N] [--oidc-port N] [--api-port N] [--moto-port N] [--region R] [--verbose]
//
// Port 0 picks a free port. Defaults: web 8750, sign-in 8751, API 8752, moto 8753.
import { startLocal } from './lib/stack.mjs';

const DEFAULT_PORTS = { web: 8750, oidc: 8751, api: 8752, moto: 8753 };

function parseArgs(argv) {
  const options = { ports: { ...DEFAULT_PORTS }, region: 'us-east-1', verbose: false };
  const flags = { '--web-port': 'web', '--oidc-port': 'oidc', '--api-port': 'api', '--moto-port': 'moto' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--verbose') options.verbose = true;
    else if (arg === '--region') options.region = argv[++i];
    else if (flags[arg]) {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0 || value > 65535) {
        throw new Error(`${arg} must be a port number from 0 to 65535, but ${argv[i]} was given`);
      }
      options.ports[flags[arg]] = value;
    } else {
      throw new Error(`unknown option: ${arg} (allowed: ${[...Object.keys(flags), '--region', '--verbose'].join(', ')})`);
    }
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const stack = await startLocal({
    ports: options.ports,
    region: options.region,
    verifier: true,
    onLog: (line) => {
      // The handler's and the verifier's lines are worth seeing; moto's access log only with --verbose.
      if (options.verbose || line.startsWith('[api] {') || line.startsWith('[function:')) console.log(line);
    },
  });
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping local mode...`);
    await stack.stop();
    console.log('stopped.');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(signal));

  const [alice, bob] = stack.users;
  console.log(`
local mode is up (${((Date.now() - started) / 1000).toFixed(1)} s)

  page         ${stack.pageUrl}
  sign in as   ${alice.username} / ${alice.password}   (second user: ${bob.username} / ${bob.password})

  sign-in      ${stack.issuer}  (OpenID Provider, client ${stack.clientId})
  API          ${stack.apiUrl}  (POST /uploads, POST /uploads/refresh, GET /uploads, POST /uploads/abort; JWT from the provider)
  verifier     polls ${stack.world.queueConsumers.map((c) => c.queueArn.split(':').pop()).join(', ')}, puts on ${stack.world.eventBuses.map((b) => b.name).join(', ')}
  moto         ${stack.s3Endpoint}  (S3, STS, IAM, DynamoDB, SQS, EventBridge; bucket ${stack.bucket}, region ${stack.region})
  bucket owner AWS_ACCESS_KEY_ID=${stack.admin.AccessKeyId} AWS_SECRET_ACCESS_KEY=${stack.admin.SecretAccessKey}

Press Ctrl-C to stop. Everything lives in memory; nothing is kept between runs.
`);
}

main().catch((error) => {
  console.error(`local mode failed to start: ${error.message}`);
  process.exit(1);
});
