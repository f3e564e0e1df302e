import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { nodeFiles } from '../../src/core/files';
import { detectKube, kubeconfigPaths, parseKubeconfig } from '../../src/core/kube';
import { fixture, tempDir, writeTree } from './helpers';

describe('kubeconfig detection', () => {
  const home = '/nonexistent-home';
  it('uses ~/.kube/config when KUBECONFIG is unset or empty', () => {
    assert.deepStrictEqual(kubeconfigPaths({}, '/h'), ['/h/.kube/config']);
    assert.deepStrictEqual(kubeconfigPaths({ KUBECONFIG: '' }, '/h'), ['/h/.kube/config']);
    assert.deepStrictEqual(kubeconfigPaths({ KUBECONFIG: '/a::/b:/a' }, '/h'), ['/a', '/b']);
  });
  it('reads current context, cluster, server and namespace with line numbers', () => {
    const r = detectKube({ KUBECONFIG: fixture('kube', 'a.yaml') }, home, nodeFiles);
    assert.strictEqual(r.signals.length, 1);
    const s = r.signals[0];
    assert.strictEqual(s.name, 'prod-eu');
    assert.strictEqual(s.source, fixture('kube', 'a.yaml'));
    assert.strictEqual(s.line, 3);
    assert.deepStrictEqual(s.details, { cluster: 'eks-prod-eu', server: 'https://prod-eu.k8s.example.com:6443', namespace: 'payments' });
    assert.deepStrictEqual(s.identifiers, ['prod-eu', 'eks-prod-eu', 'https://prod-eu.k8s.example.com:6443']);
    assert.deepStrictEqual(r.problems, []);
  });
  it('merges like kubectl: the first file that sets current-context wins; entries first-wins', () => {
    const ab = detectKube({ KUBECONFIG: [fixture('kube', 'no-current.yaml'), fixture('kube', 'b.yaml'), fixture('kube', 'a.yaml')].join(path.delimiter) }, home, nodeFiles);
    assert.strictEqual(ab.signals[0].name, 'dev');
    assert.strictEqual(ab.signals[0].source, fixture('kube', 'b.yaml'));
    const ba = detectKube({ KUBECONFIG: [fixture('kube', 'a.yaml'), fixture('kube', 'b.yaml')].join(':') }, home, nodeFiles);
    assert.strictEqual(ba.signals[0].name, 'prod-eu');
  });
  it('uses a context defined in a later file than current-context', () => {
    const d = tempDir();
    writeTree(d, { 'first': 'current-context: staging-us\n' });
    const r = detectKube({ KUBECONFIG: `${path.join(d, 'first')}:${fixture('kube', 'no-current.yaml')}` }, home, nodeFiles);
    assert.strictEqual(r.signals[0].details.server, 'https://stg.example.com');
    assert.strictEqual(r.signals[0].source, path.join(d, 'first'));
  });
  it('skips missing files silently and still yields a signal for a dangling current-context', () => {
    const r = detectKube({ KUBECONFIG: `/does/not/exist:${fixture('kube', 'dangling.yaml')}` }, home, nodeFiles);
    assert.strictEqual(r.signals[0].name, 'live-orders');
    assert.deepStrictEqual(r.signals[0].identifiers, ['live-orders']);
    assert.match(r.problems[0].message, /no matching entry/);
    assert.strictEqual(r.problems.length, 1);
  });
  it('reports malformed YAML with the file and goes on with the next file', () => {
    const r = detectKube({ KUBECONFIG: `${fixture('kube', 'malformed.yaml')}:${fixture('kube', 'b.yaml')}` }, home, nodeFiles);
    assert.strictEqual(r.signals[0].name, 'dev');
    assert.strictEqual(r.problems[0].source, fixture('kube', 'malformed.yaml'));
    assert.match(r.problems[0].message, /invalid YAML/);
  });
  it('reports non-kubeconfig content, binary files, directories and unreadable files; no signal, no throw', () => {
    const d = tempDir();
    writeTree(d, { list: '- a\n- b\n', bin: Buffer.from([0, 1, 2, 3]), empty: '' });
    const r = detectKube({ KUBECONFIG: ['list', 'bin', 'empty', '.'].map((f) => path.join(d, f)).join(':') }, home, nodeFiles);
    assert.strictEqual(r.signals.length, 0);
    assert.deepStrictEqual(r.problems.map((p) => path.basename(p.source)), ['list', 'bin', path.basename(d)]);
    assert.match(r.problems[1].message, /binary/);
  });
  it('treats a symlink loop as a problem, not a crash', () => {
    const d = tempDir();
    fs.symlinkSync(path.join(d, 'b'), path.join(d, 'a'));
    fs.symlinkSync(path.join(d, 'a'), path.join(d, 'b'));
    const r = detectKube({ KUBECONFIG: path.join(d, 'a') }, home, nodeFiles);
    assert.match(r.problems[0].message, /loop/);
  });
  it('parses an empty document as no contexts', () => {
    assert.deepStrictEqual(parseKubeconfig(''), { contexts: [], clusters: [] });
    assert.throws(() => parseKubeconfig('just a string'), /not a kubeconfig/);
  });
  it('watches every configured file, including ones that do not exist yet', () => {
    const r = detectKube({}, '/h', nodeFiles);
    assert.deepStrictEqual(r.watched, ['/h/.kube/config']);
  });
});
