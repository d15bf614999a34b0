import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { closest, errorMessage, InputError, printable, terminalText } from '../errors.js';
import { version } from '../version.js';
import { EXIT, processIo, write, type CliIo } from './io.js';

type Command = (argv: string[], io: CliIo) => Promise<number>;

/** Each command is imported only when run: start-up time is paid on every CI run. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  lint: { summary: 'lint deployment snapshots against Microsoft\'s certificate requirements', load: () => import('./lint.js') },
  inspect: { summary: 'show the facts of certificate files (PEM, DER, .p7b, .pfx)', load: () => import('./inspect.js') },
  import: { summary: 'write a snapshot from Get-CsTopology -AsXml (or a Topology Builder .tbxml) and the collected inventory', load: () => import('./import.js') },
  verify: { summary: "validate a certificate's path to a trusted root (RFC 5280, Web PKI)", load: () => import('./verify.js') },
  probe: { summary: 'connect to the TLS endpoints and judge what they serve against the snapshot', load: () => import('./probe.js') },
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
    if (!command && !first.startsWith('-')) {
      // A mistyped command (`lnit`) is no path either: say so rather than lint a file that is not there.
      const meant = closest(first, Object.keys(COMMANDS));
      if (meant && !existsSync(resolve(io.cwd, first))) {
        throw new InputError(`unknown command '${printable(first, 80)}'; did you mean '${meant}'?`, {}, "Run 'sfb-certlint --help' for the commands.");
      }
      // As ESLint: a path as the first argument means `lint`.
      command = COMMANDS.lint;
      args = argv;
    }
    if (!command) {
      await write(io.stderr, `sfb-certlint: unknown option '${printable(first, 80)}'\n\n${usage()}`);
      return EXIT.failure;
    }
    const module = await command.load();
    return await module.run(args, io);
  } catch (e) {
    if (e instanceof InputError || isUsageError(e)) {
      await write(io.stderr, `sfb-certlint: ${e instanceof InputError ? terminalText(e) : usageMessage(e)}\n`);
      return EXIT.failure;
    }
    const detail = debug && e instanceof Error && e.stack ? e.stack : `${errorMessage(e)} (run with --debug for details)`;
    await write(io.stderr, `sfb-certlint: internal error: ${printable(detail).replace(/\\0A/g, '\n')}\n`);
    return EXIT.failure;
  }
}

/** node:util parseArgs' errors, from a command that calls it directly rather than parseCommandLine. */
function isUsageError(e: unknown): e is Error {
  const code = (e as { code?: string }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** Node's first sentence, without its advice about positional arguments, which reads as a riddle. */
function usageMessage(e: Error): string {
  const first = e.message.split('\n')[0]!.replace(/\.?\s*To specify a positional argument.*$/, '');
  return printable(first.charAt(0).toLowerCase() + first.slice(1));
}
