/**
 * A Dockerfile reader for the checks in this project: enough of the Dockerfile grammar to know each stage's
 * base image, working directory, copies, environment, ports, user, health check and command. No Docker engine
 * runs where these files are written, so this is what stands in for `docker build` failing on a bad path.
 */

export interface DockerInstruction {
  keyword: string;
  /** `--name=value` options (COPY --from, HEALTHCHECK --interval, ...). */
  flags: Record<string, string>;
  /** Everything after the keyword and its flags, continuation lines joined. */
  rest: string;
  /** The exec (JSON array) form, when the instruction used it. */
  execForm?: string[];
  line: number;
}

export interface DockerStage {
  index: number;
  /** `AS name`, if given. */
  name?: string;
  /** The base, with build arguments substituted (another stage's name or an image reference). */
  from: string;
  instructions: DockerInstruction[];
}

export interface Dockerfile {
  path: string;
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Record<string, string>;
  stages: DockerStage[];
}

export interface DockerCopy {
  instruction: DockerInstruction;
  /** Index of the instruction within its stage. */
  position: number;
  from?: string;
  sources: string[];
  /** Absolute destination, resolved against the WORKDIR in force. */
  destination: string;
  /** True when the destination names a folder (trailing slash or several sources). */
  destinationIsFolder: boolean;
}

function logicalLines(text: string): { text: string; line: number }[] {
  const result: { text: string; line: number }[] = [];
  let current = '';
  let startLine = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comment lines are dropped, also in the middle of a continued instruction (as Docker does).
    if (trimmed.startsWith('#')) return;
    if (current === '' && trimmed === '') return;
    if (current === '') startLine = index + 1;
    if (trimmed.endsWith('\\')) {
      current += trimmed.slice(0, -1) + ' ';
      return;
    }
    current += trimmed;
    result.push({ text: current.trim(), line: startLine });
    current = '';
  });
  if (current.trim() !== '') result.push({ text: current.trim(), line: startLine });
  return result;
}

/** Splits shell-like words, honouring single and double quotes (no expansion). */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: '"' | "'" | undefined;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote) throw new Error(`Unterminated quote in: ${text}`);
  if (inWord) words.push(word);
  return words;
}

function parseInstruction(text: string, line: number): DockerInstruction {
  const match = /^(\S+)\s*([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`line ${line}: cannot read instruction`);
  const keyword = match[1].toUpperCase();
  let rest = match[2];
  const flags: Record<string, string> = {};
  for (;;) {
    const flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest);
    if (!flag) break;
    flags[flag[1]] = flag[2] ?? 'true';
    rest = rest.slice(flag[0].length);
  }
  let execForm: string[] | undefined;
  const body = keyword === 'HEALTHCHECK' ? rest.replace(/^CMD\s+/i, '') : rest;
  if (body.startsWith('[')) {
    const parsed: unknown = JSON.parse(body);
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) throw new Error(`line ${line}: exec form must be an array of strings`);
    execForm = parsed;
  }
  return { keyword, flags, rest, execForm, line };
}

function substituteArgs(value: string, args: Record<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string, bare: string) => {
    const name = braced ?? bare;
    if (!(name in args)) throw new Error(`build argument ${name} has no default`);
    return args[name];
  });
}

export function parseDockerfile(text: string, path: string): Dockerfile {
  const globalArgs: Record<string, string> = {};
  const stages: DockerStage[] = [];
  for (const { text: lineText, line } of logicalLines(text)) {
    const instruction = parseInstruction(lineText, line);
    if (instruction.keyword === 'FROM') {
      const words = splitWords(instruction.rest);
      const asIndex = words.findIndex((w) => w.toUpperCase() === 'AS');
      const image = substituteArgs(words[0], globalArgs);
      if (image === '') throw new Error(`${path}:${line}: FROM ${words[0]} names no image (build argument without a default)`);
      stages.push({ index: stages.length, name: asIndex >= 0 ? words[asIndex + 1] : undefined, from: image, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`${path}:${line}: only ARG may come before the first FROM`);
      const eq = instruction.rest.indexOf('=');
      const name = eq < 0 ? instruction.rest : instruction.rest.slice(0, eq);
      globalArgs[name.trim()] = eq < 0 ? '' : instruction.rest.slice(eq + 1).trim();
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  if (stages.length === 0) throw new Error(`${path}: no FROM`);
  return { path, globalArgs, stages };
}

/** The stage a name refers to (`AS name` or numeric index), if it is a stage of this file. */
export function findStage(dockerfile: Dockerfile, ref: string): DockerStage | undefined {
  return dockerfile.stages.find((s) => s.name === ref) ?? (/^\d+$/.test(ref) ? dockerfile.stages[Number(ref)] : undefined);
}

export function finalStage(dockerfile: Dockerfile): DockerStage {
  return dockerfile.stages[dockerfile.stages.length - 1];
}

function joinPosix(base: string, relative: string): string {
  const parts = (relative.startsWith('/') ? relative : `${base}/${relative}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** WORKDIR in force before instruction `position` of a stage (following base stages of this file). */
export function workdirAt(dockerfile: Dockerfile, stage: DockerStage, position = stage.instructions.length): string {
  const base = findStage(dockerfile, stage.from);
  let workdir = base ? workdirAt(dockerfile, base) : '/';
  for (const instruction of stage.instructions.slice(0, position)) {
    if (instruction.keyword === 'WORKDIR') workdir = joinPosix(workdir, instruction.rest.trim());
  }
  return workdir;
}

export function resolveInStage(dockerfile: Dockerfile, stage: DockerStage, position: number, path: string): string {
  return joinPosix(workdirAt(dockerfile, stage, position), path);
}

export function copiesOf(dockerfile: Dockerfile, stage: DockerStage): DockerCopy[] {
  return stage.instructions.flatMap((instruction, position) => {
    if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return [];
    const words = instruction.execForm ?? splitWords(instruction.rest);
    if (words.length < 2) throw new Error(`${dockerfile.path}:${instruction.line}: ${instruction.keyword} needs a source and a destination`);
    const rawDestination = words[words.length - 1];
    const sources = words.slice(0, -1);
    return [
      {
        instruction,
        position,
        from: instruction.flags.from,
        sources,
        destination: resolveInStage(dockerfile, stage, position, rawDestination),
        destinationIsFolder: rawDestination.endsWith('/') || rawDestination === '.' || sources.length > 1,
      },
    ];
  });
}

/** ENV values a stage sets (its own and its base stages'), in order, later ones winning. */
export function envOf(dockerfile: Dockerfile, stage: DockerStage): Record<string, string> {
  const base = findStage(dockerfile, stage.from);
  const env: Record<string, string> = base ? envOf(dockerfile, base) : {};
  for (const instruction of stage.instructions) {
    if (instruction.keyword !== 'ENV') continue;
    const words = splitWords(instruction.rest);
    if (words.length === 2 && !words[0].includes('=')) {
      env[words[0]] = words[1];
      continue;
    }
    for (const word of words) {
      const eq = word.indexOf('=');
      if (eq <= 0) throw new Error(`${dockerfile.path}:${instruction.line}: ENV entry "${word}" is not NAME=value`);
      env[word.slice(0, eq)] = word.slice(eq + 1);
    }
  }
  return env;
}

/** The last instruction of a kind in a stage (following base stages), e.g. CMD, USER, HEALTHCHECK. */
export function lastInstruction(dockerfile: Dockerfile, stage: DockerStage, keyword: string): DockerInstruction | undefined {
  const own = [...stage.instructions].reverse().find((i) => i.keyword === keyword);
  if (own) return own;
  const base = findStage(dockerfile, stage.from);
  return base ? lastInstruction(dockerfile, base, keyword) : undefined;
}

export function exposedPorts(dockerfile: Dockerfile, stage: DockerStage): number[] {
  return stage.instructions.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => splitWords(i.rest).map((p) => Number.parseInt(p, 10)));
}
