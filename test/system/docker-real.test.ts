// The docker detector against the real docker CLI (the client alone: `docker context` needs no engine): for
// contexts created by docker itself, DOCKER_CONTEXT, DOCKER_HOST and a missing context, the context and endpoint
// the detector reports are the ones `docker context show` and `docker context inspect` report. Skips (saying
// so) where the docker CLI is not installed.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { detectDocker } from '../../src/core/docker';
import { nodeFiles } from '../../src/core/files';
import { tempDir } from '../unit/helpers';
import { which } from './support';

describe('docker detector against the real docker CLI', function () {
  this.timeout(60_000);
  let home: string;
  before(function () {
    if (!which('docker')) {
      console.log('      (the docker CLI is not installed here: skipped)');
      this.skip();
    }
    home = tempDir('docker-');
  });
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: home, ...extra });
  const docker = (extra: NodeJS.ProcessEnv, ...args: string[]): { code: number | null; out: string; err: string } => {
    const r = spawnSync('docker', args, { env: env(extra), encoding: 'utf8', timeout: 30_000 });
    return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() };
  };
  /** docker's own view: the current context and its endpoint. */
  const dockerSays = (extra: NodeJS.ProcessEnv): { context: string; endpoint: string } => ({
    context: docker(extra, 'context', 'show').out,
    endpoint: docker(extra, 'context', 'inspect', '--format', '{{.Endpoints.docker.Host}}').out,
  });

  it('the default context on the local socket is not a signal', () => {
    assert.deepStrictEqual(dockerSays({}), { context: 'default', endpoint: 'unix:///var/run/docker.sock' });
    assert.deepStrictEqual(detectDocker(env(), home, nodeFiles).signals, []);
  });

  it('contexts created and selected with docker context create/use', () => {
    for (const [name, host] of [['prod-eu', 'ssh://deploy@prod-host.example.com'], ['dev', 'tcp://127.0.0.1:2375']]) {
      const r = docker({}, 'context', 'create', name, '--docker', `host=${host}`);
      assert.strictEqual(r.code, 0, r.err);
    }
    assert.strictEqual(docker({}, 'context', 'use', 'prod-eu').code, 0);
    const want = dockerSays({});
    const s = detectDocker(env(), home, nodeFiles).signals[0];
    assert.deepStrictEqual([s.name, s.details.endpoint], [want.context, want.endpoint]);
    assert.deepStrictEqual([s.source, s.line], [path.join(home, '.docker', 'config.json'), 3]);
    assert.ok(s.identifiers.includes('prod-host.example.com'), JSON.stringify(s.identifiers));
  });

  it('DOCKER_CONTEXT wins over config.json, and DOCKER_HOST over both (the default context on that host)', () => {
    for (const extra of [{ DOCKER_CONTEXT: 'dev' }, { DOCKER_HOST: 'tcp://10.0.0.9:2376' }, { DOCKER_CONTEXT: 'dev', DOCKER_HOST: 'tcp://10.0.0.9:2376' }]) {
      const want = dockerSays(extra);
      const s = detectDocker(env(extra), home, nodeFiles).signals[0];
      assert.deepStrictEqual([s.details.context, s.details.endpoint], [want.context, want.endpoint], JSON.stringify(extra));
    }
  });

  it('a context that does not exist: docker refuses to run, the detector reports it and gives no signal', () => {
    const r = docker({ DOCKER_CONTEXT: 'nope' }, 'context', 'inspect');
    assert.notStrictEqual(r.code, 0);
    const d = detectDocker(env({ DOCKER_CONTEXT: 'nope' }), home, nodeFiles);
    assert.deepStrictEqual(d.signals, []);
    assert.match(d.problems[0].message, /docker context "nope" does not exist/);
  });

  it('a config.json docker cannot read: docker warns and uses the local default; the detector reports it, no signal', () => {
    const file = path.join(home, '.docker', 'config.json');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, '{"currentContext": "prod-eu",');
    try {
      const r = docker({}, 'context', 'show');
      assert.deepStrictEqual([r.code, r.out], [0, 'default']);
      assert.match(r.err, /Error parsing config file/);
      const d = detectDocker(env(), home, nodeFiles);
      assert.deepStrictEqual([d.signals.length, d.problems[0].source], [0, file]);
    } finally {
      fs.writeFileSync(file, good);
    }
  });
});
