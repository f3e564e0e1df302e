// The Docker CLI's current context, resolved as the docker CLI resolves it (checked against the real `docker
// context show` / `docker context inspect` in test/system/docker-real.test.ts): DOCKER_HOST (then the `default`
// context, on that host), else DOCKER_CONTEXT, else `currentContext` in `config.json` of DOCKER_CONFIG (else
// ~/.docker), else `default` on the local socket. A named context's endpoint comes from
// `contexts/meta/<sha256 of its name>/meta.json`.
import * as crypto from 'crypto';
import * as path from 'path';
import type { Files } from './files';
import { maskSecrets } from './mask';
import type { DetectorResult, Problem, RawSignal } from './types';

/** The docker config folder: `DOCKER_CONFIG`, else `~/.docker`. */
export function dockerConfigDir(env: NodeJS.ProcessEnv, home: string): string {
  const dir = env.DOCKER_CONFIG;
  return dir ? path.resolve(dir) : path.join(home, '.docker');
}

/** The file that names the current context: watched before the first read. */
export function dockerPaths(env: NodeJS.ProcessEnv, home: string): string[] {
  return [path.join(dockerConfigDir(env, home), 'config.json')];
}

/** Where a context's metadata lives. */
export function contextMetaFile(dir: string, name: string): string {
  return path.join(dir, 'contexts', 'meta', crypto.createHash('sha256').update(name).digest('hex'), 'meta.json');
}

/** The host part of a docker endpoint (`ssh://deploy@prod-host:22` → `prod-host`), for rules and heuristics. */
export function endpointHost(endpoint: string): string | undefined {
  const m = /^(?:tcp|ssh|https?):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(endpoint);
  return m?.[1].replace(/^\[|\]$/g, '');
}

function lineOf(text: string, needle: string): number | undefined {
  const i = text.indexOf(needle);
  return i < 0 ? undefined : text.slice(0, i).split('\n').length;
}

/** Detects the current docker context and its endpoint; the local default context is not a signal. */
export function detectDocker(env: NodeJS.ProcessEnv, home: string, files: Files): DetectorResult {
  const dir = dockerConfigDir(env, home);
  const configFile = path.join(dir, 'config.json');
  const watched = [configFile];
  const problems: Problem[] = [];
  const signal = (name: string, host: string, source: string, line?: number, extra: Record<string, string> = {}): DetectorResult => {
    const shown = maskSecrets(host);
    // A socket endpoint is a daemon on this machine: `localhost` for the heuristics (most severe still wins, so a
    // context named prod-… stays production).
    const hostName = endpointHost(host) ?? (/^(unix|npipe):\/\//i.test(host) ? 'localhost' : undefined);
    const s: RawSignal = {
      kind: 'docker', name, source, ...(line ? { line } : {}), active: true,
      identifiers: [...new Set([name, shown, ...(hostName ? [hostName] : [])])],
      details: { endpoint: shown, ...extra },
    };
    return { signals: [s], problems, watched };
  };
  const dockerHost = env.DOCKER_HOST;
  // DOCKER_HOST on a local socket (rootless docker, a Desktop VM's socket) is the local daemon, like `default`.
  if (dockerHost && /^(unix|npipe):\/\//i.test(dockerHost)) return { signals: [], problems, watched };
  if (dockerHost) return signal(maskSecrets(dockerHost), dockerHost, 'env:DOCKER_HOST', undefined, { context: 'default' });

  let name = env.DOCKER_CONTEXT;
  let source = 'env:DOCKER_CONTEXT';
  let line: number | undefined;
  if (!name) {
    const r = files.readText(configFile, 1024 * 1024);
    if (r.ok) {
      try {
        const json = JSON.parse(r.text) as { currentContext?: unknown };
        if (typeof json.currentContext === 'string' && json.currentContext) {
          name = json.currentContext;
          source = configFile;
          line = lineOf(r.text, '"currentContext"');
        }
      } catch (e) {
        // The docker CLI warns too, and uses the local default context.
        problems.push({ source: configFile, message: `not valid JSON: ${(e as Error).message}` });
        return { signals: [], problems, watched };
      }
    } else if (!r.missing) {
      problems.push({ source: configFile, message: r.message });
    }
  }
  if (!name || name === 'default') return { signals: [], problems, watched };
  const meta = contextMetaFile(dir, name);
  watched.push(meta);
  const r = files.readText(meta, 1024 * 1024);
  if (!r.ok) {
    problems.push({ source, ...(line ? { line } : {}),
      message: r.missing ? `docker context "${name}" does not exist (docker refuses to run)` : `${meta}: ${r.message}` });
    return { signals: [], problems, watched };
  }
  let host: string | undefined;
  try {
    const m = JSON.parse(r.text) as { Endpoints?: { docker?: { Host?: unknown } } };
    host = typeof m.Endpoints?.docker?.Host === 'string' ? m.Endpoints.docker.Host : undefined;
  } catch (e) {
    problems.push({ source: meta, message: `not valid JSON: ${(e as Error).message}` });
    return { signals: [], problems, watched };
  }
  return signal(name, host ?? '', source, line, { context: name, ...(host ? {} : { endpoint: '(none)' }), metadata: meta });
}
