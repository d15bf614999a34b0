/** The pool or server a pre-deployment command is asked about, and the usages: found in the deployment, or an InputError saying what there is. */
import { didYouMean, InputError, printable } from '../errors.js';
import { USAGES, type Deployment, type Pool, type Server, type Usage } from '../snapshot/model.js';
import { dnsName } from '../rules/support.js';

/** `--pool FQDN` or `--server FQDN` (exactly one), found case-insensitively. */
export function findTarget(deployment: Deployment, options: { pool?: string; server?: string }): { pool: Pool; server?: Server } {
  if ((options.pool === undefined) === (options.server === undefined)) throw new InputError('give --pool FQDN or --server FQDN (one of them)');
  if (options.pool !== undefined) {
    const wanted = dnsName(options.pool);
    const pool = deployment.pools.find((p) => p.fqdn === wanted);
    if (!pool) throw new InputError(`no pool ${printable(options.pool, 100)} in the snapshot`, { path: deployment.path }, `Its pools: ${deployment.pools.map((p) => p.fqdn).join(', ')}.`);
    return { pool };
  }
  const wanted = dnsName(options.server!);
  for (const pool of deployment.pools) {
    const server = pool.servers.find((s) => s.fqdn === wanted);
    if (server) return { pool, server };
  }
  throw new InputError(`no server ${printable(options.server!, 100)} in the snapshot`, { path: deployment.path }, `Its servers: ${deployment.pools.flatMap((p) => p.servers.map((s) => s.fqdn)).join(', ')}.`);
}

/** `--usage Default,WebServicesInternal --usage OAuthTokenIssuer`, each checked against Get-CsCertificate's names (any case); undefined when none given. */
export function parseUsages(flags: string[]): Usage[] | undefined {
  const words = flags.flatMap((f) => f.split(',')).map((w) => w.trim()).filter(Boolean);
  if (words.length === 0) return undefined;
  return [
    ...new Set(
      words.map((word) => {
        const usage = USAGES.find((u) => u.toLowerCase() === word.toLowerCase());
        if (!usage) throw new InputError(`--usage ${printable(word, 60)}: not a certificate usage${didYouMean(word, USAGES)}`, {}, `The usages: ${USAGES.join(', ')}.`);
        return usage;
      }),
    ),
  ];
}
