/**
 * `.dockerignore` matching as BuildKit does it: patterns relative to the context root, `*` and `?` within one
 * path segment, `**` across segments, `!` re-includes, the last matching pattern wins, and a folder's
 * exclusion covers everything below it.
 */
export interface DockerIgnore {
  isIgnored(contextPath: string): boolean;
}

interface Rule {
  exclude: boolean;
  regex: RegExp;
}

function patternToRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more whole segments; a trailing `**` matches anything.
      if (pattern[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function normalise(path: string): string {
  return path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

export function parseDockerIgnore(text: string): DockerIgnore {
  const rules: Rule[] = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const exclude = !line.startsWith('!');
      return { exclude, regex: patternToRegex(normalise(exclude ? line : line.slice(1))) };
    });
  return {
    isIgnored(contextPath: string): boolean {
      const segments = normalise(contextPath).split('/');
      const pathAndParents = segments.map((_, depth) => segments.slice(0, depth + 1).join('/'));
      let ignored = false;
      for (const rule of rules) if (pathAndParents.some((p) => rule.regex.test(p))) ignored = rule.exclude;
      return ignored;
    },
  };
}
