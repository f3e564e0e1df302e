// The docker detector's table, from the documented files (checked against the real docker CLI in
// test/system/docker-real.test.ts).
import * as assert from 'assert';
import * as path from 'path';
import { detectAll } from '../../src/core/detect';
import { contextMetaFile, detectDocker, endpointHost } from '../../src/core/docker';
import { nodeFiles } from '../../src/core/files';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { tempDir, writeTree } from './helpers';

describe('docker context detection', () => {
  const home = tempDir('docker-unit-');
  const dir = path.join(home, '.docker');
  const meta = (name: string, host: string): [string, string] =>
    [path.relative(dir, contextMetaFile(dir, name)), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } })];
  writeTree(dir, Object.fromEntries([
    ['config.json', '{\n\t"auths": {},\n\t"currentContext": "prod-eu"\n}'],
    meta('prod-eu', 'ssh://deploy@prod-host.example.com'),
    meta('dev', 'tcp://127.0.0.1:2375'),
    [path.relative(dir, contextMetaFile(dir, 'broken')), '{"Name": "broken",'],
  ]));
  const summary = (env: NodeJS.ProcessEnv): unknown => {
    const r = detectDocker(env, home, nodeFiles);
    const s = r.signals[0];
    return s ? [s.name, s.details.endpoint, s.source.replace(home, '~'), s.line] : r.problems.map((p) => p.message);
  };
  const rows: [string, NodeJS.ProcessEnv, unknown][] = [
    ['currentContext in config.json', {}, ['prod-eu', 'ssh://deploy@prod-host.example.com', '~/.docker/config.json', 3]],
    ['DOCKER_CONTEXT wins over config.json', { DOCKER_CONTEXT: 'dev' }, ['dev', 'tcp://127.0.0.1:2375', 'env:DOCKER_CONTEXT', undefined]],
    ['DOCKER_HOST wins over both', { DOCKER_CONTEXT: 'dev', DOCKER_HOST: 'tcp://10.0.0.9:2376' },
      ['tcp://10.0.0.9:2376', 'tcp://10.0.0.9:2376', 'env:DOCKER_HOST', undefined]],
    ['the default context is not a signal', { DOCKER_CONTEXT: 'default' }, []],
    ['DOCKER_HOST on a local socket is the local daemon: not a signal', { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, []],
    ['a missing context is a problem', { DOCKER_CONTEXT: 'nope' }, ['docker context "nope" does not exist (docker refuses to run)']],
    ['unreadable metadata is a problem', { DOCKER_CONTEXT: 'broken' }, [/not valid JSON/]],
    ['DOCKER_CONFIG moves the folder (none there: nothing)', { DOCKER_CONFIG: path.join(home, 'other') }, []],
  ];
  for (const [name, env, want] of rows) {
    it(name, () => {
      const got = summary(env);
      if (Array.isArray(want) && want[0] instanceof RegExp) assert.match(String((got as string[])[0]), want[0]);
      else assert.deepStrictEqual(got, want);
    });
  }

  it('a context on a socket is local unless its name says more', async () => {
    const other = tempDir('docker-unit-sock-');
    const d = path.join(other, '.docker');
    writeTree(d, {
      [path.relative(d, contextMetaFile(d, 'colima'))]: JSON.stringify({ Name: 'colima', Endpoints: { docker: { Host: 'unix:///home/u/.colima/docker.sock' } } }),
      [path.relative(d, contextMetaFile(d, 'prod-tunnel'))]: JSON.stringify({ Name: 'prod-tunnel', Endpoints: { docker: { Host: 'unix:///tmp/prod.sock' } } }),
    });
    const env = async (name: string): Promise<string | undefined> => (await detectAll({ env: { DOCKER_CONTEXT: name }, home: other, folders: [],
      settings: DEFAULT_SETTINGS, files: nodeFiles })).signals.find((s) => s.kind === 'docker')?.environment;
    assert.deepStrictEqual([await env('colima'), await env('prod-tunnel')], ['local', 'production']);
  });

  it('a password in DOCKER_HOST is never kept', () => {
    const s = detectDocker({ DOCKER_HOST: 'tcp://admin:s3cr3t@prod-host:2376' }, home, nodeFiles).signals[0];
    assert.doesNotMatch(JSON.stringify(s), /s3cr3t/);
    assert.ok(s.identifiers.includes('prod-host'));
  });

  it('endpointHost reads ssh, tcp and IPv6 endpoints; a socket has no host', () => {
    assert.deepStrictEqual(
      ['ssh://deploy@prod-host:22', 'tcp://10.0.0.9:2376', 'tcp://[::1]:2375', 'unix:///var/run/docker.sock', 'npipe:////./pipe/docker_engine'].map(endpointHost),
      ['prod-host', '10.0.0.9', '::1', undefined, undefined]);
  });

  it('classified by the context name and the endpoint host, most severe wins: prod-host is production; dev on 127.0.0.1 is development', async () => {
    const p = await detectAll({ env: {}, home, folders: [], settings: DEFAULT_SETTINGS, files: nodeFiles });
    assert.strictEqual(p.signals.find((s) => s.kind === 'docker')?.environment, 'production');
    const l = await detectAll({ env: { DOCKER_CONTEXT: 'dev' }, home, folders: [], settings: DEFAULT_SETTINGS, files: nodeFiles });
    assert.strictEqual(l.signals.find((s) => s.kind === 'docker')?.environment, 'development');
  });
});
