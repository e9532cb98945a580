import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

/** One JSON line as a readable line: time, level, message, then the fields (npm start in a terminal). */
function readableLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, pid: _pid, hostname: _host, service: _service, ...fields } = entry;
  const levelName = pino.levels.labels[Number(level)] ?? String(level);
  const when = typeof time === 'number' ? new Date(time).toISOString().slice(11, 23) : '';
  const rest = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${when} ${levelName.toUpperCase().padEnd(5)} [serving] ${String(msg ?? '')}${rest ? `  ${rest}` : ''}\n`;
}

/**
 * pino JSON lines (what log collectors read) in production; readable text when stdout is a terminal, or when
 * SLIPWAY_LOG_FORMAT=text (npm start asks for it when it runs in a terminal: it pipes its children's output).
 */
export function createServingLogger(level: string, format: 'auto' | 'json' | 'text' = 'auto', destination: NodeJS.WritableStream = process.stdout): Logger {
  const readable = format === 'text' || (format === 'auto' && (destination as NodeJS.WriteStream).isTTY === true);
  if (!readable) return pino({ level, base: { service: 'serving' } }, pino.destination({ dest: 1, sync: false }));
  const pretty = new Writable({
    write(chunk: Buffer, _encoding, done) {
      destination.write(
        chunk
          .toString()
          .split('\n')
          .filter((l) => l)
          .map(readableLine)
          .join(''),
      );
      done();
    },
  });
  return pino({ level, base: { service: 'serving' } }, pretty);
}
