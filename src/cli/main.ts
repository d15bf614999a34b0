import { errorMessage, InputError } from '../errors.js';
import { version } from '../version.js';
import { EXIT, processIo, write, type CliIo } from './io.js';

type Command = (argv: string[], io: CliIo) => Promise<number>;

/** Each command is imported only when run: start-up time is paid on every CI run. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  lint: { summary: 'lint deployment snapshots against Microsoft\'s certificate requirements', load: () => import('./lint.js') },
  inspect: { summary: 'show the facts of certificate files (PEM, DER, .p7b, .pfx)', load: () => import('./inspect.js') },
  import: { summary: 'write a snapshot from Get-CsTopology -AsXml (or a Topology Builder .tbxml) and the collected inventory', load: () => import('./import.js') },
  verify: { summary: "validate a certificate's path to a trusted root (RFC 5280, Web PKI)", load: () => import('./verify.js') },
  rules: { summary: 'list every rule with its severity, citation and options', load: () => import('./rules.js') },
  requirements: { summary: 'say what each certificate of a pool or server must be, and write its certreq or OpenSSL request', load: () => import('./requirements.js') },
  check: { summary: 'check a new certificate or request against a deployment before it is imported', load: () => import('./check.js') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: sfb-certlint <command> [options]

Certificate linter for Lync Server 2013 and Skype for Business Server deployments.

Commands:
${lines.join('\n')}

Run 'sfb-certlint <command> --help' for a command's options and examples.
Options: --version, --help, --debug (stack traces for internal errors)
`;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      await write(io.stdout, usage());
      return first === undefined ? EXIT.failure : EXIT.ok;
    }
    if (first === '--version' || first === '-v') {
      await write(io.stdout, `${version()}\n`);
      return EXIT.ok;
    }
    let command = COMMANDS[first];
    let args = rest;
    // As ESLint: a path as the first argument means `lint`.
    if (!command && !first.startsWith('-') && COMMANDS.lint) {
      command = COMMANDS.lint;
      args = argv;
    }
    if (!command) {
      await write(io.stderr, `sfb-certlint: unknown command '${first}'\n\n${usage()}`);
      return EXIT.failure;
    }
    const module = await command.load();
    return await module.run(args, io);
  } catch (e) {
    if (e instanceof InputError || isUsageError(e)) {
      await write(io.stderr, `sfb-certlint: ${errorMessage(e)}\n${e instanceof InputError && e.hint ? `${e.hint}\n` : ''}`);
      return EXIT.failure;
    }
    const detail = debug && e instanceof Error && e.stack ? e.stack : `${errorMessage(e)} (run with --debug for details)`;
    await write(io.stderr, `sfb-certlint: internal error: ${detail}\n`);
    return EXIT.failure;
  }
}

/** node:util parseArgs' errors for unknown or malformed options. */
function isUsageError(e: unknown): e is Error {
  const code = (e as { code?: string }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
