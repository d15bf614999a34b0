import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
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
       sfb-certlint [options] [SNAPSHOT|FOLDER...]   (lint, the default command, as ESLint)

Certificate linter for Lync Server 2013 and Skype for Business Server deployments.

Commands:
${lines.join('\n')}

Run 'sfb-certlint <command> --help' for a command's options and examples.
Options: -v, --version; -h, --help; --debug (stack traces for internal errors).
Options may come before the command or the paths; after --, every argument is a path. See docs/cli.md.
`;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const [first] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      await write(io.stdout, usage());
      return first === undefined ? EXIT.failure : EXIT.ok;
    }
    const { name, args } = first === '--version' || first === '-v' ? { args: argv } : await commandOf(argv);
    // As ESLint: --version among the options and no command (`sfb-certlint --debug --version`).
    const options = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined);
    if (name === undefined && (options.includes('--version') || options.includes('-v'))) {
      await write(io.stdout, `${version()}\n`);
      return EXIT.ok;
    }
    if (name !== undefined && !COMMANDS[name]) {
      // A mistyped command (`lnit`) is no path either: say so rather than lint a file that is not there.
      const meant = closest(name, Object.keys(COMMANDS));
      if (meant && !existsSync(resolve(io.cwd, name))) {
        throw new InputError(`unknown command '${printable(name, 80)}'; did you mean '${meant}'?`, {}, "Run 'sfb-certlint --help' for the commands.");
      }
    }
    // As ESLint: without a command, the arguments (options first or not) are lint's.
    const command = (name !== undefined && COMMANDS[name]) || COMMANDS.lint!;
    const module = await command.load();
    return await module.run(name !== undefined && COMMANDS[name] ? args : argv, io);
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

/**
 * The command the arguments name, and the arguments without it: the first argument that is neither an
 * option nor an option's value (`sfb-certlint --debug rules`, `sfb-certlint -f json lint x`), read with
 * lint's options, which every command's leading options are written in. Undefined when there is none:
 * `sfb-certlint -f json examples/contoso` is lint's, as `eslint -f json src` is.
 */
async function commandOf(argv: string[]): Promise<{ name?: string; args: string[] }> {
  if (!argv[0]!.startsWith('-')) return { name: argv[0]!, args: argv.slice(1) };
  const { OPTIONS } = await import('./lint.js');
  const { tokens } = parseArgs({ args: argv, options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const found = tokens.find((t) => t.kind === 'positional' || t.kind === 'option-terminator');
  // After `--`, every argument is a path.
  if (found?.kind !== 'positional') return { args: argv };
  return { name: found.value, args: argv.filter((_, i) => i !== found.index) };
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
